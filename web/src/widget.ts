/**
 * Entry point of web/dist/widget.js. Reads the script tag's data-* settings, mounts the chat
 * in an open shadow root on a host element, installs the command-queue global and fires
 * `wenzheng:ready` on the host element (bubbling to document).
 *
 * The host is a custom element, <wenzheng-chat>, not a <div>: a host page's `div { border;
 * padding }` or `div:last-child` rules do not match it, and its shadow root resets the rest.
 */
import { readConfig } from './config.js';
import { installGlobal } from './global.js';
import { ChatWidget } from './ui/chat-widget.js';

declare const __WIDGET_VERSION__: string;

/** The host element's tag name. */
const HOST_TAG = 'wenzheng-chat';

// document.currentScript is only set while a classic (also async) script first runs.
const script = document.currentScript as HTMLScriptElement | null;

function mount(): void {
  const w = window as unknown as { __wenzhengMounted?: boolean };
  if (w.__wenzhengMounted) return;
  w.__wenzhengMounted = true;
  const config = readConfig({ ...(script?.dataset ?? {}) }, script?.src ?? null, location.href);
  if (!customElements.get(HOST_TAG)) customElements.define(HOST_TAG, class extends HTMLElement {});
  const host = document.createElement(HOST_TAG);
  host.id = 'wenzheng-widget';
  host.lang = 'zh-CN';
  host.dataset['mode'] = config.mode;
  document.body.append(host);
  const widget = new ChatWidget(host, config);
  installGlobal(config.globalName, widget, __WIDGET_VERSION__);
  host.dispatchEvent(
    new CustomEvent('wenzheng:ready', {
      bubbles: true,
      composed: true,
      detail: { version: __WIDGET_VERSION__ },
    }),
  );
}

if (document.body) mount();
else document.addEventListener('DOMContentLoaded', mount, { once: true });
