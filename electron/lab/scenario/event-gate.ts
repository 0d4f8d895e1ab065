// Waiting inside a run: a condition is re-checked on every event (no polling
// timers), and every wait ends on its deadline or when the run is aborted
// (Ctrl-C, Stop, a dropped link, a consumer that failed), whichever comes first.

import { formatDuration } from './units';

/** A wait ran out of time: the step times out (not an error of the run). */
export class WaitTimeout extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaitTimeout';
  }
}

/** The run was aborted; the message says why. */
export class Aborted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Aborted';
  }
}

/** A wait's deadline, held while the run is paused: a pause does not count against it. */
interface Deadline {
  remainingMs: number;
  armedAt: number;
  timer: NodeJS.Timeout | null;
  fire: () => void;
}

export class EventGate {
  private readonly waiters = new Set<() => void>();
  private readonly deadlines = new Set<Deadline>();
  private paused = false;

  constructor(
    private readonly signal: AbortSignal,
    /** Why the run was aborted, asked when a wait ends because of it. */
    private readonly abortError: () => Aborted,
  ) {}

  /** Something happened: re-check every pending wait. */
  notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** Every deadline stops counting until resume(). */
  pause(): void {
    if (this.paused) return;
    this.paused = true;
    for (const d of this.deadlines) this.disarm(d);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const d of this.deadlines) this.arm(d);
  }

  private arm(d: Deadline): void {
    d.armedAt = performance.now();
    d.timer = setTimeout(d.fire, Math.max(0, d.remainingMs));
  }

  private disarm(d: Deadline): void {
    if (!d.timer) return;
    clearTimeout(d.timer);
    d.timer = null;
    d.remainingMs -= performance.now() - d.armedAt;
  }

  /** Resolves with check()'s non-null result; re-checked on every notify(). */
  until<T>(check: () => T | null, timeoutMs: number, onTimeout: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const first = check();
      if (first !== null) return resolve(first);
      if (this.signal.aborted) return reject(this.abortError());
      const deadline: Deadline = {
        remainingMs: timeoutMs,
        armedAt: 0,
        timer: null,
        fire: () => {
          done();
          reject(new WaitTimeout(onTimeout()));
        },
      };
      const done = () => {
        this.disarm(deadline);
        this.deadlines.delete(deadline);
        this.waiters.delete(poll);
        this.signal.removeEventListener('abort', onAbort);
      };
      const poll = () => {
        const v = check();
        if (v !== null) {
          done();
          resolve(v);
        }
      };
      const onAbort = () => {
        done();
        reject(this.abortError());
      };
      this.deadlines.add(deadline);
      if (!this.paused) this.arm(deadline);
      this.waiters.add(poll);
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A promise raced against abort and a deadline. */
  bounded<T>(p: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    let settled: { v: T } | { e: unknown } | null = null;
    p.then(
      (v) => {
        settled = { v };
        this.notify();
      },
      (e: unknown) => {
        settled = { e };
        this.notify();
      },
    );
    return this.until(
      () => settled as { v: T } | { e: unknown } | null,
      timeoutMs,
      () => `${what}: no answer within ${formatDuration(timeoutMs)}`,
    ).then((s) => {
      if ('e' in s) throw s.e;
      return s.v;
    });
  }

  /** Waits ms unless the run is aborted first. */
  sleep(ms: number): Promise<void> {
    return this.until<true>(() => null, ms, () => '').then(() => undefined, ignoreTimeout);
  }
}

/** For waits that may run out: a timeout is fine, anything else is not. */
export function ignoreTimeout(e: unknown): void {
  if (!(e instanceof WaitTimeout)) throw e;
}

/** A promise with a deadline but no abort: cleanup must go on after an abort. */
export function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${formatDuration(ms)}`)), ms);
    }),
  ]);
}
