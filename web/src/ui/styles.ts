/**
 * The widget's CSS, scoped by its shadow root. `:host { all: initial }` stops the host page's
 * inherited styles leaking in; sizes are rem/em so the widget follows the page's root font
 * size (and the user's browser or WeChat text setting); the A / A+ / A++ toggle scales the
 * conversation and the composer.
 */
export const CSS = `
:host { all: initial; }
*, *::before, *::after { box-sizing: border-box; }
.root {
  --bg: #ffffff; --fg: #1f2328; --muted: #4a5058; --primary: #0b4f9c; --primary-fg: #ffffff;
  --soft: #eef3fa; --user: #e7f0fb; --border: #b7c0cc; --mark: #ffe27a; --focus: #c2410c;
  --danger: #a4161a; --wz-base: max(16px, 1rem); --wz-scale: 1;
  font-size: calc(var(--wz-base) * var(--wz-scale));
  font-family: system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
    "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
  line-height: 1.6; color: var(--fg); text-align: left;
}
.root.contrast {
  --bg: #000000; --fg: #ffffff; --muted: #ffffff; --primary: #ffd400; --primary-fg: #000000;
  --soft: #000000; --user: #1a1a1a; --border: #ffffff; --mark: #ffd400; --focus: #00e5ff;
  --danger: #ff8a80;
}
.vh { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
[hidden] { display: none !important; }
button, textarea { font: inherit; color: inherit; }
button { cursor: pointer; min-height: 44px; min-width: 44px; border-radius: .4em;
  border: 1px solid var(--border); background: var(--bg); padding: .25em .75em; }
button:focus-visible, textarea:focus-visible, .log:focus-visible, [tabindex="-1"]:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.launcher {
  position: fixed; bottom: calc(1.25rem + env(safe-area-inset-bottom)); right: 1.25rem;
  z-index: 2147483000; display: inline-flex; align-items: center; gap: .4em;
  min-height: max(44px, 3.25em); padding: 0 1.1em; border-radius: 2em; border: 2px solid transparent;
  background: var(--primary); color: var(--primary-fg); font-weight: 600;
  box-shadow: 0 .25rem 1rem rgb(0 0 0 / .25);
}
.left .launcher, .left .panel { right: auto; left: 1.25rem; }
.launcher svg { width: 1.3em; height: 1.3em; flex: none; }
.panel {
  position: fixed; right: 1.25rem; z-index: 2147483001; width: min(26rem, calc(100vw - 2.5rem));
  /* Above the launcher (1.25rem + its max(44px, 3.25em) + .75rem gap), 1.25rem from the top. */
  bottom: calc(2rem + max(44px, 3.25em) + env(safe-area-inset-bottom));
  height: min(42rem, calc(100vh - 3.25rem - max(44px, 3.25em))); display: flex; flex-direction: column;
  background: var(--bg); color: var(--fg); border: 1px solid var(--border); border-radius: .75rem;
  box-shadow: 0 .5rem 2rem rgb(0 0 0 / .25); overflow: hidden;
  transition: opacity .15s ease, transform .15s ease;
}
/* The frame (title bar, reading tools, notice) keeps the base size: A+/A++ enlarge what is
   read and typed, and leave the answer most of a phone's height. */
.head { display: flex; align-items: center; gap: .5em; padding: .35em .5em .35em .9em;
  background: var(--primary); color: var(--primary-fg); font-size: var(--wz-base); }
.head h2 { flex: 1; margin: 0; font-size: 1.05em; line-height: 1.3; overflow-wrap: anywhere; }
.head .clear { font-size: .85em; border-color: currentColor; padding: 0 .6em; white-space: nowrap; }
.conn { font-size: .8em; white-space: nowrap; }
.head button { background: transparent; border-color: transparent; color: inherit; font-size: 1.2em;
  padding: 0; line-height: 1; }
.tools { display: flex; flex-wrap: wrap; align-items: center; gap: .35em; padding: .35em .6em;
  border-bottom: 1px solid var(--border); font-size: calc(var(--wz-base) * .9); }
.tools .grow { flex: 1; }
.tools button[aria-pressed="true"] { background: var(--primary); color: var(--primary-fg);
  border-color: var(--primary); }
.banner { margin: 0; padding: .4em .9em; background: #fff4d6; color: #3d2c00; font-size: .9em; }
.contrast .banner { background: #000; color: #fff; border-bottom: 2px solid #fff; }
.log { flex: 1; overflow-y: auto; overflow-x: hidden; padding: .75em; overscroll-behavior: contain; }
.empty p { margin: 0 0 .75em; }
.suggest { list-style: none; margin: 0; padding: 0; display: grid; gap: .5em; }
.suggest button { width: 100%; text-align: left; background: var(--soft); color: var(--fg);
  border-color: var(--border); overflow-wrap: anywhere; }
.msg { margin: 0 0 1em; }
.bubble { padding: .6em .8em; border-radius: .6em; overflow-wrap: anywhere; }
.user .bubble { background: var(--user); margin-left: 2em; white-space: pre-wrap; }
.bot .bubble { background: var(--soft); border: 1px solid var(--border); margin-right: 1em; }
.contrast .user .bubble, .contrast .bot .bubble { border: 1px solid #fff; }
.bubble p { margin: 0 0 .5em; }
.bubble p:last-child { margin-bottom: 0; }
.answer-text { white-space: pre-wrap; }
.nf { font-weight: 700; color: var(--danger); }
.error .bubble { border-color: var(--danger); }
.chip { min-width: 44px; min-height: 44px; margin: 0 .15em; padding: 0 .5em; vertical-align: middle;
  font-size: .85em; font-weight: 700; background: var(--bg); color: var(--primary);
  border: 1px solid var(--primary); border-radius: 1em; }
.contrast .chip { color: var(--fg); border-color: var(--fg); }
.chip[aria-expanded="true"] { background: var(--primary); color: var(--primary-fg); }
.sources-title { font-size: .9em; color: var(--muted); margin: .6em 0 .3em !important; }
.sources { list-style: none; margin: 0; padding: 0; display: grid; gap: .35em; }
.source { width: 100%; text-align: left; font-size: .9em; overflow-wrap: anywhere; }
.passage { margin: .5em 0; padding: .6em .75em; background: var(--bg); border-left: 4px solid var(--primary);
  border-radius: .3em; font-size: .95em; }
.contrast .passage { border: 1px solid #fff; border-left-width: 4px; }
.passage .doc { font-weight: 700; margin: 0; }
.passage .sec { color: var(--muted); margin: 0 0 .4em; font-size: .9em; }
.passage blockquote { margin: 0 0 .5em; padding: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.passage .ctx { color: var(--muted); }
mark { background: var(--mark); color: #000; padding: 0 .1em; }
mark strong { text-decoration: underline; text-decoration-thickness: .12em; text-underline-offset: .2em; }
.actions { display: flex; flex-wrap: wrap; gap: .35em; margin-top: .4em; font-size: .9em; }
.actions button[aria-pressed="true"] { background: var(--primary); color: var(--primary-fg); }
.typing::after { content: "▍"; animation: blink 1s steps(1) infinite; }
@keyframes blink { 50% { opacity: 0; } }
.composer { display: flex; gap: .5em; align-items: flex-end; padding: .5em .6em 0;
  border-top: 1px solid var(--border); }
.composer textarea { flex: 1; min-height: 44px; max-height: 8em; resize: none; padding: .45em .6em;
  border: 1px solid var(--muted); border-radius: .4em; background: var(--bg); line-height: 1.5; }
.send { background: var(--primary); color: var(--primary-fg); border-color: var(--primary); font-weight: 600; }
.counter { margin: .2em .6em 0; font-size: .85em; color: var(--muted); text-align: right; }
.counter.full { color: var(--danger); font-weight: 700; }
.notice { margin: 0; padding: .3em .8em .5em; font-size: calc(var(--wz-base) * .8); color: var(--muted); }
.page .panel { inset: 0; margin: 0 auto; width: 100%; max-width: 48rem; height: var(--wz-vv-height, 100%);
  border-radius: 0; border-width: 0 1px; box-shadow: none; }
@media (max-width: 640px) {
  .root { --wz-base: max(18px, 1.125rem); }
  .panel, .left .panel, .page .panel {
    left: 0; right: 0; bottom: auto; top: var(--wz-vv-top, 0px); width: 100%; max-width: none;
    height: var(--wz-vv-height, 100%); border: 0; border-radius: 0; box-shadow: none;
    padding: env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left);
  }
  .launcher { right: calc(1rem + env(safe-area-inset-right)); }
  .left .launcher { left: calc(1rem + env(safe-area-inset-left)); }
}
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
}
@media (forced-colors: active) {
  .launcher, .panel, .bubble, .passage, button, textarea { border: 1px solid CanvasText; }
  .launcher, .send, .tools button[aria-pressed="true"], .chip[aria-expanded="true"],
  .actions button[aria-pressed="true"] { forced-color-adjust: none; background: Highlight; color: HighlightText; }
  mark { forced-color-adjust: none; background: Mark; color: MarkText; }
  button:focus-visible, textarea:focus-visible { outline: 3px solid Highlight; }
}
`;
