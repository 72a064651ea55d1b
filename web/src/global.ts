/**
 * The command-queue global. A host page may call it before the script has loaded:
 *
 *   window.wenzheng = window.wenzheng || [];
 *   wenzheng.push(['open']); wenzheng.push(['ask', '法律援助办了多少件？']);
 *
 * Once loaded, the global is replaced by an object whose `push` runs commands at once and
 * which also has the commands as methods (`wenzheng.open()`).
 */
import type { ChatWidget } from './ui/chat-widget.js';

/** A queued command: its name and arguments. */
export type Command =
  | ['open']
  | ['close']
  | ['toggle']
  | ['ask', string]
  | ['setFontScale', number | string]
  | ['setContrast', boolean]
  | ['clear'];

/** What `window[globalName]` becomes after load. */
export interface WenzhengApi {
  push(...commands: unknown[]): number;
  open(): void;
  close(): void;
  toggle(): void;
  ask(question: string): void;
  setFontScale(scale: number | string): void;
  setContrast(on: boolean): void;
  clear(): void;
  readonly version: string;
}

/** Runs one command; unknown commands are reported on the console and ignored. */
export function runCommand(widget: ChatWidget, command: unknown): void {
  if (!Array.isArray(command) || typeof command[0] !== 'string') {
    console.warn('[wenzheng] 无法识别的命令', command);
    return;
  }
  const [name, arg] = command as [string, unknown];
  switch (name) {
    case 'open':
      return widget.open();
    case 'close':
      return widget.close();
    case 'toggle':
      return widget.toggle();
    case 'ask':
      if (typeof arg === 'string') widget.ask(arg);
      return;
    case 'setFontScale':
      if (typeof arg === 'number' || typeof arg === 'string') widget.setFontScale(arg);
      return;
    case 'setContrast':
      return widget.setContrast(arg === true);
    case 'clear':
      return widget.clear();
    default:
      console.warn('[wenzheng] 未知命令', name);
  }
}

/** Installs the API at `window[name]`, draining commands queued before load. */
export function installGlobal(name: string, widget: ChatWidget, version: string): WenzhengApi {
  const w = window as unknown as Record<string, unknown>;
  const queued = Array.isArray(w[name]) ? (w[name] as unknown[]) : [];
  const api: WenzhengApi = {
    push: (...commands) => {
      for (const c of commands) runCommand(widget, c);
      return 0;
    },
    open: () => widget.open(),
    close: () => widget.close(),
    toggle: () => widget.toggle(),
    ask: (q) => widget.ask(q),
    setFontScale: (s) => widget.setFontScale(s),
    setContrast: (on) => widget.setContrast(on),
    clear: () => widget.clear(),
    version,
  };
  w[name] = api;
  for (const c of queued) runCommand(widget, c);
  return api;
}
