// What a workload is, and the handle the runner holds while it runs.
// Target.startWorkload() turns a spec into ONE wrapper script run through
// Transport.stream (workloads/supervisor.ts): the wrapper joins the workload's
// cgroup first, proves it from /proc/self/cgroup, sets oom_score_adj, starts the
// workload under `timeout -s KILL <cap>` and kills its process group when the
// channel closes.

import type { EventOf } from '../events';

interface WorkloadCommon {
  /** -1000..1000, applied to the workload process (inherited by its children). Lowering needs root. */
  oomScoreAdj?: number;
  /** Hard time cap in seconds: the workload is SIGKILLed after it (GNU timeout -s KILL). */
  timeCapSec: number;
}

export type WorkloadSpec =
  /** stress --vm N --vm-bytes B [--vm-keep] [--vm-hang S] [--vm-stride B] (stride = bytes: reserve without touching) */
  | (WorkloadCommon & { kind: 'stress'; vm: number; vmBytes: number; vmKeep?: boolean; vmHang?: number; vmStride?: number })
  /** stress-ng --vm N --vm-bytes B [--vm-keep] [--vm-hang S] [--oomable]; runs until killed or the cap */
  | (WorkloadCommon & { kind: 'stress-ng'; vm: number; vmBytes: number; vmKeep?: boolean; vmHang?: number; oomable?: boolean })
  /**
   * Steady allocator: every step adds stepMb of touched anonymous memory, at
   * mbPerSec overall, until killed (or until maxMb, then it holds).
   * Built from perl, else python3, else a busybox/sh fallback; workload-start's note says which.
   */
  | (WorkloadCommon & { kind: 'ramp'; mbPerSec: number; stepMb: number; maxMb?: number })
  /**
   * Page-cache writer: writes totalMb to a file at mbPerSec from inside the cgroup
   * (so the cache is charged to it), holds it holdSec, then removes it. The file is
   * removed too when the workload is stopped or killed. Default dir /var/tmp.
   */
  | (WorkloadCommon & { kind: 'cache-writer'; mbPerSec: number; totalMb: number; holdSec?: number; dir?: string });

export type WorkloadKind = WorkloadSpec['kind'];

export type WorkloadStart = EventOf<'workload-start'>;
export type WorkloadExit = EventOf<'workload-exit'>;

export interface WorkloadHandle {
  readonly id: string;
  /** Resolves with the workload-start event once the wrapper reported the real pid; rejects if it died before. */
  readonly started: Promise<WorkloadStart>;
  /** Resolves with the workload-exit event (always: a lost channel gives code/signal null). */
  readonly exited: Promise<WorkloadExit>;
  /** The workload's real pid (the process under `timeout`), once started. */
  readonly pid: number | null;
  /** Pids the workload is known to have (its pid and, for stress/stress-ng, workers it reported). */
  readonly pids: ReadonlySet<number>;
  /** Close the channel: the wrapper kills the whole process group. Resolves when exited. */
  stop(): Promise<WorkloadExit>;
}
