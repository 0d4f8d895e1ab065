// The sampler: ONE long-lived remote bash loop per run (sampler/script.ts) that
// reads the target's counters with builtins only and prints one line per tick;
// parse.ts turns the lines into `sample` and `processes` events.

import type { MemorySample, ProcessRow } from '../events';
import type { Target } from '../targets/target';
import type { EmitEvent, RemoteContext } from '../workloads/spec';

export interface SamplerOptions {
  /** Counter tick, default 50 ms; must sustain 10 ms (100 Hz). */
  intervalMs?: number;
  /** Member-process tick (pid, comm, VmRSS, oom_score, oom_score_adj), default 500 ms. */
  processIntervalMs?: number;
}

export interface SamplerHandle {
  /** The remote loop's pid on the host, once it reported it. */
  readonly pid: Promise<number>;
  /** Latest sample, or null before the first tick. */
  latest(): MemorySample | null;
  latestProcesses(): ProcessRow[] | null;
  /** Number of sample lines received. */
  readonly count: number;
  /** Close the channel; the loop exits on EOF. Resolves when it has. */
  stop(): Promise<void>;
  /** Resolves when the remote loop ended (stop, error or lost channel). */
  readonly exited: Promise<void>;
}

export { startSampler } from './run';
