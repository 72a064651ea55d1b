/**
 * The widget's CSS, scoped by its shadow root.
 *
 * Sizes do not depend on the host page: WeChat H5 pages set `html { font-size: 37.5px }`
 * (lib-flexible) or 50/100 px, desktop sites 62.5 %, so a rem-sized widget grew to 42–112 px
 * text or shrank to 10 px (issue 13). Every size here is px or em of `--wz-base`, the
 * widget's own base in px: the operator's `data-font-size` (default 16 px, at least 18 px
 * full screen on phones), times the reader's A / A+ / A++ choice for what is read and typed.
 *
 * `:host { all: initial !important }` stops the page's styles at the shadow boundary: for
 * !important declarations the inner context wins (CSS Cascade 4 §6.1), so even
 * `* { letter-spacing: 2px !important }` does not reach the host or inherit inside.
 *
 * Whenever the viewport is small in either direction (phones; 200 % zoom of 1366×768 is
 * 683×384 CSS px) the panel is full screen; on short screens the frame compacts (reading
 * tools behind a button, notice inside the conversation) so the conversation keeps at
 * least half of the panel.
 */
export const SMALL_VIEWPORT = '(max-width: 640px), (max-height: 520px)';

export const CSS = `
:host { all: initial !important; display: block !important; }
*, *::before, *::after { box-sizing: border-box; }
.root {
  --bg: #ffffff; --fg: #1f2328; --muted: #4a5058; --primary: #0b4f9c; --primary-fg: #ffffff;
  --soft: #eef3fa; --user: #e7f0fb; --border: #b7c0cc; --mark: #ffe27a; --focus: #c2410c;
  --danger: #a4161a; --wz-base: var(--wz-size, 16px); --wz-scale: 1; --wz-launch: max(44px, calc(var(--wz-base) * 3.25));
  font-size: calc(var(--wz-base) * var(--wz-scale));
  font-family: system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei",
    "Noto Sans CJK SC", "Source Han Sans SC", sans-serif;
  line-height: 1.6; color: var(--fg); text-align: left; letter-spacing: normal; word-spacing: normal;
}
.root.contrast {
  --bg: #000000; --fg: #ffffff; --muted: #ffffff; --primary: #ffd400; --primary-fg: #000000;
  --soft: #000000; --user: #1a1a1a; --border: #ffffff; --mark: #ffd400; --focus: #00e5ff;
  --danger: #ff8a80;
}
.vh { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
[hidden] { display: none !important; }
button, textarea, input { font: inherit; color: inherit; letter-spacing: inherit; }
button { cursor: pointer; min-height: 44px; min-width: 44px; border-radius: .4em;
  border: 1px solid var(--border); background: var(--bg); padding: .25em .75em; }
a { color: var(--primary); }
.contrast a { color: var(--fg); }
button:focus-visible, textarea:focus-visible, a:focus-visible, .log:focus-visible, [tabindex="-1"]:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px; }
.launcher {
  position: fixed; bottom: calc(20px + env(safe-area-inset-bottom)); right: 20px;
  z-index: 2147483000; display: inline-flex; align-items: center; gap: .4em; font-size: var(--wz-base);
  min-height: var(--wz-launch); padding: 0 1.1em; border-radius: 2em; border: 2px solid transparent;
  background: var(--primary); color: var(--primary-fg); font-weight: 600;
  box-shadow: 0 4px 16px rgb(0 0 0 / .25);
}
.left .launcher, .left .panel { right: auto; left: 20px; }
.launcher svg { width: 1.3em; height: 1.3em; flex: none; }
.panel {
  position: fixed; right: 20px; z-index: 2147483001; width: min(calc(var(--wz-base) * 26), calc(100vw - 40px));
  /* Above the launcher (20 px + its height + 12 px gap), at least 20 px from the top. */
  bottom: calc(32px + var(--wz-launch) + env(safe-area-inset-bottom));
  height: min(calc(var(--wz-base) * 42), calc(100vh - 52px - var(--wz-launch))); display: flex; flex-direction: column;
  background: var(--bg); color: var(--fg); border: 1px solid var(--border); border-radius: 12px;
  box-shadow: 0 8px 32px rgb(0 0 0 / .25); overflow: hidden;
  transition: opacity .15s ease, transform .15s ease;
}
/* The frame (title bar, reading tools, notice) keeps the base size: A+/A++ enlarge what is
   read and typed, and leave the answer most of a phone's height. */
.head { display: flex; align-items: center; gap: .5em; padding: .35em .5em .35em .9em; flex: none;
  background: var(--primary); color: var(--primary-fg); font-size: var(--wz-base); }
.head h1, .head h2 { flex: 1; margin: 0; font-size: 1.05em; line-height: 1.3; overflow-wrap: anywhere; }
.conn { font-size: .8em; white-space: nowrap; }
.head button { background: transparent; border-color: transparent; color: inherit; font-size: 1.2em;
  padding: 0; line-height: 1; }
.head .clear, .head .tools-toggle { font-size: .85em; border-color: currentColor; padding: 0 .6em; white-space: nowrap; }
.head .tools-toggle { display: none; }
.tools { display: flex; flex-wrap: wrap; align-items: center; gap: .35em; padding: .35em .6em; flex: none;
  border-bottom: 1px solid var(--border); font-size: calc(var(--wz-base) * .9); }
.tools .grow { flex: 1; }
.tools button[aria-pressed="true"] { background: var(--primary); color: var(--primary-fg);
  border-color: var(--primary); }
.banner { margin: 0; padding: .4em .9em; background: #fff4d6; color: #3d2c00; font-size: var(--wz-base); flex: none; }
.banner.blocked { background: #fde8e8; color: #5c0b0e; font-weight: 700; }
.contrast .banner { background: #000; color: #fff; border-bottom: 2px solid #fff; }
.log { flex: 1 1 auto; min-height: 0; overflow-y: auto; overflow-x: hidden; padding: .75em; overscroll-behavior: contain; }
.empty p { margin: 0 0 .75em; }
.log .notice { display: none; }
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
.refusal .answer-text { font-weight: 600; }
.handoff { border-top: 1px solid var(--border); padding-top: .4em; }
.error .bubble { border-color: var(--danger); }
.chip { min-width: 44px; min-height: 44px; margin: 0 .15em; padding: 0 .5em; vertical-align: middle;
  font-size: .85em; font-weight: 700; background: var(--bg); color: var(--primary);
  border: 1px solid var(--primary); border-radius: 1em; }
.contrast .chip { color: var(--fg); border-color: var(--fg); }
.chip[aria-expanded="true"] { background: var(--primary); color: var(--primary-fg); }
.sources-title { font-size: .9em; color: var(--muted); margin: .6em 0 .3em !important; }
.sources { list-style: none; margin: 0; padding: 0; display: grid; gap: .35em; }
.sources > li { min-width: 0; }
.source { width: 100%; text-align: left; font-size: .9em; overflow-wrap: anywhere; }
.source .first { display: block; color: var(--muted); font-size: .9em; overflow: hidden;
  text-overflow: ellipsis; white-space: nowrap; }
.source[aria-expanded="true"] .first { display: none; }
.passage { margin: .5em 0; padding: .6em .75em; background: var(--bg); border-left: 4px solid var(--primary);
  border-radius: 4px; font-size: .95em; }
.contrast .passage { border: 1px solid #fff; border-left-width: 4px; }
.passage .doc { font-weight: 700; margin: 0; }
.passage .when, .passage .sec { color: var(--muted); margin: 0 0 .4em; font-size: .9em; }
.passage blockquote { margin: 0 0 .5em; padding: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.passage .ctx { color: var(--muted); }
.passage .ctx-sec { font-size: .85em; font-weight: 700; margin: .4em 0 .1em; }
.passage .orig { display: inline-block; margin: 0 .75em .25em 0; min-height: 24px; overflow-wrap: anywhere; }
mark { background: var(--mark); color: #000; padding: 0 .1em; }
mark strong { text-decoration: underline; text-decoration-thickness: .12em; text-underline-offset: .2em; }
.actions { display: flex; flex-wrap: wrap; gap: .35em; margin-top: .4em; font-size: .9em; }
.actions button[aria-pressed="true"] { background: var(--primary); color: var(--primary-fg); }
.comment { display: grid; gap: .35em; margin-top: .4em; font-size: .9em; }
.comment textarea { width: 100%; min-height: 3.2em; resize: vertical; padding: .35em .5em;
  border: 1px solid var(--muted); border-radius: .4em; background: var(--bg); }
.comment .row { display: flex; gap: .35em; flex-wrap: wrap; }
.typing::after { content: "▍"; animation: blink 1s steps(1) infinite; }
@keyframes blink { 50% { opacity: 0; } }
.composer { display: flex; gap: .5em; align-items: flex-end; padding: .5em .6em 0; flex: none;
  border-top: 1px solid var(--border); }
.composer textarea { flex: 1; min-height: 44px; max-height: 8em; resize: none; padding: .45em .6em;
  border: 1px solid var(--muted); border-radius: .4em; background: var(--bg); line-height: 1.5; }
.send { background: var(--primary); color: var(--primary-fg); border-color: var(--primary); font-weight: 600; }
.counter { margin: .2em .6em 0; font-size: .85em; color: var(--muted); text-align: right; flex: none; }
.counter.full { color: var(--danger); font-weight: 700; }
.notice { margin: 0; padding: .3em .8em .5em; font-size: calc(var(--wz-base) * .8); color: var(--muted); flex: none; }
.page .panel { inset: 0; margin: 0 auto; width: 100%; max-width: 768px; height: var(--wz-vv-height, 100%);
  border-radius: 0; border-width: 0 1px; box-shadow: none; }
@media ${SMALL_VIEWPORT} {
  .panel, .left .panel, .page .panel {
    left: 0; right: 0; bottom: auto; top: var(--wz-vv-top, 0px); width: 100%; max-width: none;
    height: var(--wz-vv-height, 100%); border: 0; border-radius: 0; box-shadow: none;
    padding: env(safe-area-inset-top) env(safe-area-inset-right) env(safe-area-inset-bottom) env(safe-area-inset-left);
  }
  .launcher { right: calc(16px + env(safe-area-inset-right)); }
  .left .launcher { left: calc(16px + env(safe-area-inset-left)); }
}
@media (max-width: 640px) {
  .root { --wz-base: max(18px, var(--wz-size, 16px)); }
}
/* Short screens (landscape phones, 200–400 % zoom): one line of frame above and below the
   conversation. Targets stay at least 32 px (WCAG 2.5.8 asks 24). */
@media (max-height: 520px) {
  .head { padding: 2px .4em 2px .7em; }
  .head h1, .head h2 { min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .head button, .composer button { min-height: 32px; }
  .head .tools-toggle { display: inline-block; }
  .tools { display: none; }
  .tools-open .tools { display: flex; }
  .panel > .notice { display: none; }
  .log .notice { display: block; padding: 0 0 .5em; }
  .composer { padding: .25em .5em; }
  .composer textarea { min-height: 32px; height: calc(1.5em + .5em + 2px); padding: .25em .5em; }
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
