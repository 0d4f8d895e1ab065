// A live run's events as they arrive: queued, then folded once per animation
// frame, so a burst of 100 Hz samples costs one render. Keeps every event
// (exports and the recording see all of them).

import type { LabEvent } from '../../electron/lab/events';
import { fold } from './fold';
import { initialState, type ViewState } from './view-state';

export type Schedule = (cb: () => void) => void;

export class LiveRun {
  readonly events: LabEvent[] = [];
  private queue: LabEvent[] = [];
  private scheduled = false;
  private listeners = new Set<() => void>();
  view: ViewState = initialState();

  constructor(
    readonly runId: string,
    private readonly schedule: Schedule,
  ) {}

  push(events: readonly LabEvent[]): void {
    for (const e of events) this.queue.push(e);
    if (this.scheduled) return;
    this.scheduled = true;
    this.schedule(() => this.flush());
  }

  /** Fold everything queued now (also called by the frame callback). */
  flush(): void {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    let v = this.view;
    for (const e of this.queue) {
      v = fold(v, e);
      this.events.push(e);
    }
    this.queue = [];
    this.view = v;
    for (const l of this.listeners) l();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getView = (): ViewState => this.view;
}
