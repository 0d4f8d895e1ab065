// The player's keys, as terminal-cast players have them: space play/pause,
// ←/→ steps, [ ] kills, 0–9 jump to 0–90 %, Shift+←/→ fine seek, `.` one
// frame, f full screen, ? help. Pure: a key becomes an action, an action and
// the player's position become a time.

import { nextMark, prevMark } from './replay';

export type PlayerAction =
  | { kind: 'toggle-play' }
  | { kind: 'mark'; marks: 'steps' | 'kills'; dir: 1 | -1 }
  | { kind: 'fraction'; fraction: number }
  | { kind: 'nudge'; ms: number }
  | { kind: 'frame' }
  | { kind: 'fullscreen' }
  | { kind: 'help' };

export interface KeyInput {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
}

/** Shift+←/→: a short step, a few sampling ticks, to walk up to a kill. */
export const FINE_SEEK_MS = 250;

export function actionForKey(k: KeyInput): PlayerAction | null {
  // Browser and system shortcuts (Ctrl+0 zoom, Alt+← back) stay theirs.
  if (k.ctrlKey || k.altKey || k.metaKey) return null;
  switch (k.key) {
    case ' ':
      return { kind: 'toggle-play' };
    case 'ArrowRight':
      return k.shiftKey ? { kind: 'nudge', ms: FINE_SEEK_MS } : { kind: 'mark', marks: 'steps', dir: 1 };
    case 'ArrowLeft':
      return k.shiftKey ? { kind: 'nudge', ms: -FINE_SEEK_MS } : { kind: 'mark', marks: 'steps', dir: -1 };
    case ']':
      return { kind: 'mark', marks: 'kills', dir: 1 };
    case '[':
      return { kind: 'mark', marks: 'kills', dir: -1 };
    case '.':
      return { kind: 'frame' };
    case 'f':
    case 'F':
      return { kind: 'fullscreen' };
    case '?':
      return { kind: 'help' };
  }
  if (/^[0-9]$/.test(k.key)) return { kind: 'fraction', fraction: Number(k.key) / 10 };
  return null;
}

export interface Position {
  time: number;
  total: number;
  steps: readonly number[];
  kills: readonly number[];
  /** Times of the samples, ascending: one "frame" is the next of them. */
  frames: readonly number[];
}

/** Where a seeking action moves the cursor; null when it does not seek (or has nowhere to go). */
export function seekTarget(a: PlayerAction, p: Position): number | null {
  const clamp = (t: number) => Math.min(Math.max(0, t), p.total);
  switch (a.kind) {
    case 'mark': {
      const times = a.marks === 'steps' ? p.steps : p.kills;
      // ← before the first step goes to the start, as a media player's "previous chapter" does.
      return a.dir > 0 ? nextMark(times, p.time) : (prevMark(times, p.time) ?? (a.marks === 'steps' ? 0 : null));
    }
    case 'fraction':
      return clamp(p.total * a.fraction);
    case 'nudge':
      return clamp(p.time + a.ms);
    case 'frame':
      return nextMark(p.frames, p.time);
    default:
      return null;
  }
}

/** Keys listed by the ? overlay, in order, with the message key that says what each does. */
export const KEY_HELP = [
  ['space', 'keys.playPause'],
  ['← →', 'keys.steps'],
  ['[ ]', 'keys.kills'],
  ['0 … 9', 'keys.fraction'],
  ['Shift + ← →', 'keys.fine'],
  ['.', 'keys.frame'],
  ['f', 'keys.fullscreen'],
  ['?', 'keys.help'],
  ['Esc', 'keys.close'],
] as const;
