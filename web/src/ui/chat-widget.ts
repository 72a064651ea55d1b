/**
 * The chat UI: launcher, panel (dialog), transcript (role="log"), status region, composer,
 * reading settings. Lives in an open shadow root; talks to the server through Transport/Api.
 */
import type { WidgetConfig } from '../config.js';
import type { Answer, ConnectionState } from '../types.js';
import { Api, type WidgetSettings } from '../api.js';
import { T } from '../strings.js';
import { Transport } from '../transport/transport.js';
import { Composer } from './composer.js';
import { h } from './dom.js';
import { AnswerView } from './message.js';
import { ReadingTools } from './reading-tools.js';
import { CSS } from './styles.js';
import { isSmallViewport, trackVisualViewport } from './viewport.js';

const SVG = 'http://www.w3.org/2000/svg';

/** The launcher's speech-bubble icon, built as DOM (no innerHTML anywhere in the widget). */
function chatIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute(
    'd',
    'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 6v2h2v-2H7zm4 0v2h2v-2h-2zm4 0v2h2v-2h-2z',
  );
  svg.append(path);
  return svg;
}

/**
 * Constructed stylesheets are not subject to the host page's CSP `style-src` (a <style>
 * element is), so strict government sites still get a styled widget; old engines get <style>.
 */
function adoptStyles(shadow: ShadowRoot): void {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    shadow.adoptedStyleSheets = [sheet];
  } catch {
    shadow.append(h('style', { text: CSS }));
  }
}

/** Names of the DOM events the widget dispatches on its host element (they bubble to document). */
export type WidgetEventName = 'ready' | 'open' | 'close' | 'answer';

/** One mounted widget. */
export class ChatWidget {
  private readonly root: HTMLElement;
  private readonly launcher: HTMLButtonElement | null;
  private readonly panel: HTMLElement;
  private readonly log: HTMLElement;
  private readonly status: HTMLElement;
  private readonly banner: HTMLElement;
  private readonly conn: HTMLElement;
  private readonly logNotice: HTMLElement;
  private readonly composer: Composer;
  private readonly tools: ReadingTools;
  private readonly transport: Transport;
  private readonly api: Api;
  private readonly history: string[] = [];
  private readonly sessionId = Math.random().toString(36).slice(2) + Date.now().toString(36);
  private busy = false;
  private opened = false;
  private count = 0;
  private settings: Promise<WidgetSettings | null> | null = null;
  private handoff: WidgetSettings['handoff'] = null;
  private blocked = false;
  private stopViewport: (() => void) | null = null;
  private lastState: ConnectionState = 'idle';
  private savedOverflow = '';

  constructor(
    private readonly host: HTMLElement,
    private readonly config: WidgetConfig,
  ) {
    const shadow = host.attachShadow({ mode: 'open' });
    this.api = new Api(config.server);
    this.transport = new Transport({
      server: config.server,
      prefer: config.transport,
      onState: (s) => this.connectionChanged(s),
    });
    const page = config.mode === 'page';

    this.launcher = page
      ? null
      : h(
          'button',
          {
            type: 'button',
            class: 'launcher',
            'aria-expanded': 'false',
            'aria-controls': 'wz-panel',
            onclick: () => this.toggle(),
          },
          chatIcon(),
          h('span', { text: '报告问答' }),
        );
    this.conn = h('span', { class: 'conn', 'aria-hidden': 'true' });
    const close = page
      ? null
      : h('button', {
          type: 'button',
          'aria-label': T.close,
          text: '✕',
          onclick: () => this.close(),
        });
    this.root = h('div', { class: `root ${config.position}${page ? ' page' : ''}`, lang: 'zh-CN' });
    this.root.style.setProperty('--wz-size', `${config.fontSize}px`);
    this.tools = new ReadingTools(this.root);
    this.tools.el.id = 'wz-tools';
    // On short screens the reading tools fold behind this button (see styles.ts).
    const toolsToggle: HTMLButtonElement = h('button', {
      type: 'button',
      class: 'tools-toggle',
      'aria-expanded': 'false',
      'aria-controls': 'wz-tools',
      text: T.tools,
      onclick: () =>
        toolsToggle.setAttribute('aria-expanded', String(this.root.classList.toggle('tools-open'))),
    });
    this.banner = h('p', { class: 'banner', hidden: true });
    this.log = h('div', { class: 'log', role: 'log', 'aria-label': '对话记录', tabindex: 0 });
    this.status = h('div', { class: 'vh', role: 'status' });
    this.composer = new Composer({
      maxChars: config.maxChars,
      announce: (t) => this.announce(t),
      onSubmit: (q) => {
        if (this.busy) {
          this.announce(T.answering);
          return false;
        }
        void this.send(q);
        return true;
      },
    });
    const notice = h('p', { id: 'wz-notice', class: 'notice', text: `${T.notice}${T.privacy}` });
    this.logNotice = h('p', { class: 'notice', text: `${T.notice}${T.privacy}` });
    this.panel = h(
      'div',
      page
        ? { id: 'wz-panel', role: 'main', 'aria-labelledby': 'wz-title' }
        : {
            id: 'wz-panel',
            class: 'panel',
            role: 'dialog',
            'aria-labelledby': 'wz-title',
            hidden: true,
          },
      h(
        'div',
        { class: 'head' },
        // The full page's title is its h1; on a host page the site has its own h1.
        h(page ? 'h1' : 'h2', { id: 'wz-title', text: config.title }),
        this.conn,
        toolsToggle,
        h('button', { type: 'button', class: 'clear', text: T.clear, onclick: () => this.clear() }),
        close,
      ),
      this.tools.el,
      this.banner,
      this.log,
      this.status,
      this.composer.form,
      this.composer.counter,
      notice,
    );
    this.panel.classList.add('panel');
    this.panel.addEventListener('keydown', (e) => this.panelKeydown(e));
    this.root.append(this.panel, ...(this.launcher ? [this.launcher] : []));
    adoptStyles(shadow);
    shadow.append(this.root);
    this.renderEmpty();

    // A host page whose CSP lacks connect-src for the server: say so to the site owner.
    document.addEventListener('securitypolicyviolation', (e) => {
      const ws = config.server.replace(/^http/, 'ws');
      if (!e.blockedURI.startsWith(config.server) && !e.blockedURI.startsWith(ws)) return;
      console.error(T.cspConsole(config.server, e.effectiveDirective));
      this.block(false);
    });
    const wake = () =>
      document.visibilityState === 'visible' &&
      this.opened &&
      !this.blocked &&
      this.transport.wake();
    document.addEventListener('visibilitychange', wake);
    window.addEventListener('pageshow', wake);
    window.addEventListener('online', wake);
    if (page) this.open(false);
    else if (config.open) this.open(false);
  }

  /** Opens the panel; focus goes to the input unless `focus` is false. */
  open(focus = true): void {
    if (!this.opened) {
      this.opened = true;
      this.panel.hidden = false;
      this.launcher?.setAttribute('aria-expanded', 'true');
      this.stopViewport = trackVisualViewport(this.root);
      // aria-modal belongs to the dialog only: on role="main" (/chat) it is invalid ARIA.
      const modal = this.config.mode === 'widget' && isSmallViewport();
      if (this.config.mode === 'widget') this.panel.setAttribute('aria-modal', String(modal));
      if (modal) {
        this.savedOverflow = document.documentElement.style.overflow;
        document.documentElement.style.overflow = 'hidden';
      }
      if (!this.blocked) this.transport.warmUp();
      void this.loadSettings();
      this.emit('open');
    }
    if (focus) this.composer.focus();
  }

  /** Closes the panel and returns focus to the launcher. */
  close(): void {
    if (!this.opened || this.config.mode === 'page') return;
    this.opened = false;
    this.panel.hidden = true;
    this.launcher?.setAttribute('aria-expanded', 'false');
    this.stopViewport?.();
    if (this.panel.getAttribute('aria-modal') === 'true')
      document.documentElement.style.overflow = this.savedOverflow;
    this.launcher?.focus();
    this.emit('close');
  }

  toggle(): void {
    if (this.opened) this.close();
    else this.open();
  }

  /** Text size: 'A' | 'A+' | 'A++', or a scale (the nearest of 1, 1.25, 1.5). */
  setFontScale(scale: number | string): void {
    this.tools.setFontScale(scale);
  }

  setContrast(on: boolean): void {
    this.tools.setContrast(on);
  }

  /** Asks a question as if typed (opens the panel first). */
  ask(question: string): void {
    this.open(false);
    void this.send(question);
  }

  /** Clears the conversation: transcript, history, answers in flight. */
  clear(): void {
    this.transport.cancelAll();
    this.history.length = 0;
    this.busy = false;
    this.log.setAttribute('aria-busy', 'false');
    this.renderEmpty();
    void this.loadSettings();
    this.announce(T.cleared);
    this.composer.focus();
  }

  private renderEmpty(): void {
    this.log.replaceChildren(
      this.logNotice,
      h('div', { class: 'empty' }, h('p', { class: 'greeting', text: T.empty })),
    );
  }

  /**
   * The operator's greeting, hand-off line and suggested questions (GET /api/widget-config,
   * once). It is the widget's first request, so a site that is not allowed learns it on
   * opening the panel, before anyone types.
   */
  private async loadSettings(): Promise<void> {
    this.settings ??= this.api.widgetConfig().then((r) => {
      if (r.kind === 'not-allowed') this.block(true);
      return r.kind === 'ok' ? r.settings : null;
    });
    const settings = await this.settings;
    if (!settings) return;
    this.handoff = settings.handoff;
    const empty = this.log.querySelector('.empty');
    if (!empty) return;
    if (settings.greeting) empty.querySelector('.greeting')!.textContent = settings.greeting;
    const list = settings.suggestions;
    if (!this.config.suggestions || list.length === 0 || empty.querySelector('.suggest')) return;
    empty.append(
      h('p', { id: 'wz-suggest-title', text: T.suggestionsTitle }),
      h(
        'ul',
        { class: 'suggest', 'aria-labelledby': 'wz-suggest-title' },
        ...list
          .slice(0, 4)
          .map((q) =>
            h('li', {}, h('button', { type: 'button', text: q, onclick: () => void this.send(q) })),
          ),
      ),
    );
  }

  /**
   * This site may not use the service (the server's ORIGIN_NOT_ALLOWED, or the page's CSP):
   * say so in the panel instead of a network error, and tell the site owner on the console.
   */
  private block(fromServer: boolean): void {
    if (this.blocked) return;
    this.blocked = true;
    this.transport.stop();
    if (fromServer) console.error(T.notAllowedConsole(location.origin, this.config.server));
    this.banner.hidden = false;
    this.banner.classList.add('blocked');
    this.banner.textContent = T.notAllowed;
    this.root.dataset['connection'] = 'blocked';
    this.announce(T.notAllowed);
  }

  private panelKeydown(e: KeyboardEvent): void {
    if (e.key === 'Escape' && this.config.mode === 'widget') {
      e.preventDefault();
      this.close();
    } else if (e.key === 'Tab' && this.panel.getAttribute('aria-modal') === 'true') {
      const items = [
        ...this.panel.querySelectorAll<HTMLElement>('button, textarea, [tabindex="0"]'),
      ].filter((el) => !el.closest('[hidden]'));
      const first = items[0];
      const last = items[items.length - 1];
      const active = (this.host.shadowRoot as ShadowRoot).activeElement;
      if (e.shiftKey && active === first) (e.preventDefault(), last?.focus());
      else if (!e.shiftKey && active === last) (e.preventDefault(), first?.focus());
    }
  }

  private async send(question: string): Promise<void> {
    const q = question.trim().slice(0, this.config.maxChars);
    if (!q || this.busy) return;
    this.busy = true;
    this.log.querySelector('.empty')?.remove();
    const key = `wz-m${++this.count}`;
    this.log.append(
      h(
        'div',
        { class: 'msg user' },
        h('span', { class: 'vh', text: `${T.you}：` }),
        h('p', { class: 'bubble', text: q }),
      ),
    );
    const view = new AnswerView({
      api: this.api,
      key,
      announce: (t) => this.announce(t),
      onRetry: () => {
        view.el.remove();
        void this.send(q);
      },
      handoff: () => this.handoff,
    });
    this.log.append(view.el);
    this.announce(T.answering);
    if (this.blocked) {
      view.error(T.notAllowed, false);
      this.busy = false;
      this.reveal(view.el);
      return;
    }
    this.log.setAttribute('aria-busy', 'true');
    this.reveal(view.el);
    const history = this.history.slice(-6);
    this.history.push(q);
    let settled = false;
    const finish = () => {
      settled = true;
      this.busy = false;
      this.log.setAttribute('aria-busy', 'false');
      this.reveal(view.el);
    };
    await this.transport.ask(q, history, this.sessionId, {
      onStart: (id, via) => view.started(id, via),
      onDelta: (t) => {
        if (settled) return;
        view.delta(t);
        this.reveal(view.el);
      },
      onDone: (answer: Answer) => {
        if (settled) return;
        view.done(answer);
        finish();
        this.announce(T.answered);
        this.emit('answer', { question: q, answer, messageId: view.messageId });
      },
      onError: (code, message) => {
        if (settled) return;
        const i = this.history.lastIndexOf(q);
        if (i >= 0) this.history.splice(i, 1);
        if (code === 'ORIGIN_NOT_ALLOWED') this.block(true);
        view.error(this.blocked ? T.notAllowed : message, !this.blocked);
        finish();
        this.announce(this.blocked ? T.notAllowed : message);
      },
    });
  }

  /**
   * Scrolls the conversation so the question and the start of its answer are in view: an
   * answer taller than the conversation area is read from its first line (a refusal's
   * 「没有找到…」), never from the tail of its last passage.
   */
  private reveal(answer: HTMLElement): void {
    const question = answer.previousElementSibling as HTMLElement | null;
    const top =
      question &&
      answer.offsetTop - question.offsetTop + answer.offsetHeight <= this.log.clientHeight
        ? question
        : answer;
    const offset = top.getBoundingClientRect().top - this.log.getBoundingClientRect().top;
    this.log.scrollTop = Math.max(0, this.log.scrollTop + offset - 8);
  }

  private connectionChanged(state: ConnectionState): void {
    const previous = this.lastState;
    this.lastState = state;
    this.conn.textContent = state === 'open' || state === 'http' ? '' : T.state[state];
    if (this.blocked) return;
    this.banner.hidden = state !== 'reconnecting';
    this.banner.textContent = T.state.reconnecting;
    if (state === 'reconnecting') this.announce(T.state.reconnecting);
    else if (state === 'open' && previous === 'reconnecting') this.announce('已重新连接。');
    else if (state === 'http' && previous !== 'idle' && previous !== 'connecting')
      this.announce(T.state.http);
    this.root.dataset['connection'] = state;
  }

  /**
   * Puts `text` in the status region at once (「正在回答…」 the moment a question is sent);
   * the same text twice is cleared first so screen readers announce it again.
   */
  private announce(text: string): void {
    if (this.status.textContent !== text) {
      this.status.textContent = text;
      return;
    }
    this.status.textContent = '';
    setTimeout(() => (this.status.textContent = text), 50);
  }

  private emit(name: WidgetEventName, detail: unknown = null): void {
    this.host.dispatchEvent(
      new CustomEvent(`wenzheng:${name}`, { bubbles: true, composed: true, detail }),
    );
  }
}
