// The visible x range of the charts (seconds), as pure functions: zoom to a
// kill, zoom in/out about the centre, keep the window inside the run.

import type { XWindow } from './model';

/** Seconds shown either side of a kill by "zoom to this kill": ten 50 ms sampling ticks, the ramp before and the drop after. */
export const KILL_HALF_WINDOW_S = 0.5;
/** The narrowest window (seconds): two sampling ticks still show as separate points. */
export const MIN_WINDOW_S = 0.2;

export function clampWindow(w: { min: number; max: number }, xMax: number): XWindow {
  const width = Math.min(Math.max(w.max - w.min, MIN_WINDOW_S), Math.max(xMax, MIN_WINDOW_S));
  if (width >= xMax) return null; // the whole run: no zoom
  const min = Math.min(Math.max(0, w.min), xMax - width);
  return { min, max: min + width };
}

export function killWindow(killMs: number, xMax: number): XWindow {
  const t = killMs / 1000;
  return clampWindow({ min: t - KILL_HALF_WINDOW_S, max: t + KILL_HALF_WINDOW_S }, xMax);
}

/** factor < 1 zooms in, > 1 out, about the centre of what is shown now. */
export function scaleWindow(w: XWindow, xMax: number, factor: number): XWindow {
  const cur = w ?? { min: 0, max: xMax };
  const mid = (cur.min + cur.max) / 2;
  const half = ((cur.max - cur.min) * factor) / 2;
  return clampWindow({ min: mid - half, max: mid + half }, xMax);
}
