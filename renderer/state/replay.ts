// Replay = fold the recording's events up to the cursor time. Moving forward
// continues from where the last fold stopped; moving back folds again from the
// start (a whole recording folds in milliseconds, see bench/fold).

import type { LabEvent } from '../../electron/lab/events';
import { fold } from './fold';
import { initialState, type ViewState } from './view-state';

/**
 * Events in time order. A recording is in arrival order, and streams from the
 * host (samples, kernel log, workload output) interleave a few ms out of t
 * order; "the run at time t" needs t order. The sort is stable, so events with
 * equal t keep their recorded order (a kill stays after its kernel lines).
 */
export function replayOrder(events: readonly LabEvent[]): LabEvent[] {
  return events
    .map((e, i) => ({ e, i }))
    .sort((a, b) => a.e.t - b.e.t || a.i - b.i)
    .map((x) => x.e);
}

export interface ReplayCursor {
  /** Events folded: events[0 .. index). */
  index: number;
  time: number;
  state: ViewState;
}

export function startCursor(): ReplayCursor {
  return { index: 0, time: -Infinity, state: initialState() };
}

/**
 * Snapshots of the fold every CHECKPOINT_EVERY events, taken as the cursor
 * moves forward. States are persistent (append-only lists are shared), so a
 * snapshot is just a reference; scrubbing back resumes from the nearest one
 * instead of folding a long recording from the start.
 */
export const CHECKPOINT_EVERY = 2000;
export type Checkpoints = Array<{ index: number; state: ViewState }>;

export function seek(events: readonly LabEvent[], cursor: ReplayCursor, time: number, checkpoints?: Checkpoints): ReplayCursor {
  let { index, state } = cursor.time <= time ? cursor : from(checkpoints, events, time);
  while (index < events.length && events[index]!.t <= time) {
    state = fold(state, events[index++]!);
    if (checkpoints && index % CHECKPOINT_EVERY === 0 && (checkpoints.at(-1)?.index ?? 0) < index) checkpoints.push({ index, state });
  }
  return { index, time, state };
}

function from(checkpoints: Checkpoints | undefined, events: readonly LabEvent[], time: number): { index: number; state: ViewState } {
  let best: { index: number; state: ViewState } = { index: 0, state: initialState() };
  for (const c of checkpoints ?? []) {
    // Usable when every event it folded is at or before `time`.
    if (c.index > 0 && events[c.index - 1]!.t <= time) best = c;
    else break;
  }
  return best;
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

/** Times of the target's samples: `.` steps from one to the next. */
export function frameTimes(events: readonly LabEvent[]): number[] {
  const out: number[] = [];
  for (const e of events) if (e.kind === 'sample' && e.cgroup === 'target') out.push(e.t);
  return out;
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
