/**
 * Sizes the full-screen panel from `visualViewport`, so the on-screen keyboard never hides
 * the input (iOS Safari and WeChat resize the visual, not the layout, viewport).
 */
import { SMALL_VIEWPORT } from './styles.js';

/** Keeps `--wz-vv-height`/`--wz-vv-top` on `el` in step with the visual viewport; returns a stop function. */
export function trackVisualViewport(el: HTMLElement): () => void {
  const vv = window.visualViewport;
  const update = () => {
    const height = vv ? vv.height : window.innerHeight;
    const top = vv ? vv.offsetTop : 0;
    el.style.setProperty('--wz-vv-height', `${Math.round(height)}px`);
    el.style.setProperty('--wz-vv-top', `${Math.round(top)}px`);
  };
  update();
  const target: EventTarget = vv ?? window;
  target.addEventListener('resize', update);
  target.addEventListener('scroll', update);
  window.addEventListener('orientationchange', update);
  return () => {
    target.removeEventListener('resize', update);
    target.removeEventListener('scroll', update);
    window.removeEventListener('orientationchange', update);
  };
}

/** True when the panel is shown full screen (a viewport small in either direction). */
export function isSmallViewport(): boolean {
  return window.matchMedia(SMALL_VIEWPORT).matches;
}
