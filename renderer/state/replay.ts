// Replay = fold the recording's events up to the cursor time. Moving forward
// continues from where the last fold stopped; moving back folds again from the
// start (a whole recording folds in milliseconds, see bench/fold).

import type { LabEvent } from '../../electron/lab/events';
import { fold } from './fold';
import { initialState, type ViewState } from './view-state';

export interface ReplayCursor {
  /** Events folded: events[0 .. index). */
  index: number;
  time: number;
  state: ViewState;
}

export function startCursor(): ReplayCursor {
  return { index: 0, time: -Infinity, state: initialState() };
}

export function seek(events: readonly LabEvent[], cursor: ReplayCursor, time: number): ReplayCursor {
  let { index, state } = cursor.time <= time ? cursor : startCursor();
  while (index < events.length && events[index]!.t <= time) state = fold(state, events[index++]!);
  return { index, time, state };
}

export function duration(events: readonly LabEvent[]): number {
  let max = 0;
  for (const e of events) if (e.t > max) max = e.t;
  return max;
}

/** Times a player can jump to with ←/→ (steps) and [ / ] (kills). */
export function marks(events: readonly LabEvent[]): { steps: number[]; kills: number[] } {
  const steps: number[] = [];
  const kills: number[] = [];
  for (const e of events) {
    if (e.kind === 'step-start') steps.push(e.t);
    else if (e.kind === 'oom-kill') kills.push(e.t);
  }
  return { steps, kills };
}

/** The first mark after `t`, or null. */
export function nextMark(times: readonly number[], t: number): number | null {
  for (const m of times) if (m > t) return m;
  return null;
}

/**
 * The mark before `t`. A small grace lets "previous" skip back past the mark
 * the cursor is sitting on, as a media player's "previous chapter" does.
 */
export function prevMark(times: readonly number[], t: number, graceMs = 250): number | null {
  let best: number | null = null;
  for (const m of times) if (m < t - graceMs) best = m;
  return best;
}
