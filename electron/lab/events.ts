// Everything the lab observes or does is one of these events. Live runs, the
// CLI printer, recordings and the renderer's reducer all consume this union.
// Imported type-only by the renderer: keep it free of runtime dependencies.

import type { HostFacts } from './host/facts';
import type { OomKillReport } from './kernel/report';

export type TargetKind = 'cgroup-v1' | 'cgroup-v2' | 'docker' | 'pod';
export type Locale = 'en' | 'zh-CN';
export type Localized = Partial<Record<Locale, string>> & { en: string };

/** Milliseconds since the run started, on the host's clock. */
export type RunTime = number;

export interface MemorySample {
  /** Which cgroup: the target's id ("target") or a named sub-group. */
  cgroup: string;
  usageBytes: number;
  /** null = unlimited ("max" / the v1 huge default). */
  limitBytes: number | null;
  /** v1 memory.failcnt; v2 memory.events "max". */
  failcnt: number;
  /** v1 max_usage_in_bytes; v2 memory.peak; null when absent. */
  peakBytes: number | null;
  /** v1 cache / v2 file. */
  cacheBytes: number;
  /** v1 rss / v2 anon. */
  rssBytes: number;
  inactiveFileBytes: number;
  /** cAdvisor's working set: usage - inactive_file, not below 0. */
  workingSetBytes: number;
  /** v1 oom_control oom_kill / v2 memory.events oom_kill; null when the kernel has no counter. */
  oomKills: number | null;
  /** v2 memory.events oom (times the OOM killer was invoked). */
  ooms: number | null;
  /** v1 oom_control under_oom; null on v2. */
  underOom: boolean | null;
  /** v2 memory.events high (times memory.high throttled). */
  highEvents: number | null;
  /** v2 memory.pressure "some avg10" / "full avg10", when present. */
  pressure: { someAvg10: number; fullAvg10: number } | null;
}

export interface ProcessRow {
  pid: number;
  comm: string;
  rssKb: number;
  oomScore: number;
  oomScoreAdj: number;
  /** The workload this pid belongs to, when known. */
  workload: string | null;
}

/** What a `read` / `inspect` / `trace` action found on the host (scenario/host-reads.ts). */
export type HostReading =
  | {
      what: 'overcommit';
      /** vm.overcommit_memory: 0 heuristic, 1 always, 2 strict (CommitLimit enforced). */
      overcommitMemory: number | null;
      overcommitRatio: number | null;
      commitLimitKb: number | null;
      committedAsKb: number | null;
      memTotalKb: number | null;
      swapTotalKb: number | null;
    }
  | {
      what: 'inspect';
      workload: string;
      processes: Array<{ pid: number; comm: string; vmSizeKb: number | null; vmRssKb: number | null; cmdline: string }>;
    }
  | {
      what: 'trace';
      /** From the kernel's report. */
      pid: number;
      comm: string;
      taskMemcg: string | null;
      memcg: string;
      /** The cgroupfs directory the report's path names, and whether it still exists. */
      dir: string | null;
      dirExists: boolean;
      /** The lab's owner record for the run that cgroup belongs to (its runId), when found. */
      ownerRunId: string | null;
      /** The workload whose leaf the path names. */
      workload: string | null;
      /** Processes still in that cgroup, with their command lines. */
      members: Array<{ pid: number; comm: string; cmdline: string }>;
    };

/** What a wait action waits for, shown by the step panel until the step's next action: usage = the condition is on usage. */
export interface ActionWait {
  what: string;
  usage: boolean;
  /** A plain hold (`wait: {for}`): how long. */
  forMs: number | null;
}

export type LabEventBody =
  | {
      kind: 'run-start';
      runId: string;
      scenario: { id: string; title: Localized; file: string | null };
      host: HostFacts;
      target: { kind: TargetKind; path: string | null; limitBytes: number | null; swapPinned: boolean };
      /** Wall-clock ISO time at t = 0. */
      startedAt: string;
      appVersion: string;
    }
  | { kind: 'run-end'; outcome: 'passed' | 'failed' | 'error' | 'aborted'; reason: string | null }
  | { kind: 'step-start'; index: number; title: Localized; narration: Localized }
  /** skipped: the host does not offer what the step requires (message says what). */
  | { kind: 'step-end'; index: number; outcome: 'ok' | 'failed' | 'timeout' | 'error' | 'skipped'; message: string | null }
  /** Something the lab did (created a cgroup, wrote a knob), for the timeline; `read` carries what it read from the host. */
  | { kind: 'action'; step: number | null; text: string; read?: HostReading; wait?: ActionWait }
  | ({ kind: 'sample' } & MemorySample)
  | { kind: 'processes'; cgroup: string; processes: ProcessRow[] }
  | { kind: 'kernel-line'; raw: string }
  | { kind: 'oom-kill'; report: OomKillReport; workload: string | null }
  | { kind: 'workload-start'; workload: string; pid: number; argv: string[]; cgroup: string; verifiedMember: boolean; note: string | null }
  | { kind: 'workload-output'; workload: string; fd: 'stdout' | 'stderr'; line: string }
  /** oomKilled: the workload's cgroup counted an OOM kill (its pid or a child such as a stress worker); timeCapHit: its hard time cap killed it; stopped: the engine stopped it. */
  | { kind: 'workload-exit'; workload: string; pid: number; code: number | null; signal: string | null; oomKilled: boolean; timeCapHit?: boolean; stopped?: boolean }
  | { kind: 'expectation'; step: number; text: string; passed: boolean; observed: string }
  | {
      kind: 'status';
      subject: 'container' | 'pod';
      name: string;
      phase: string;
      reason: string | null;
      exitCode: number | null;
      restartCount: number | null;
      oomKilled: boolean;
      /** Pods: the waiting/termination message, or a Kubernetes Event ("Warning BackOff: Back-off restarting ..."). */
      message?: string | null;
    }
  /**
   * The run paused (between steps, or mid-step): frozen = the kernel froze the target (how names the mechanism);
   * otherwise only the runner waits and warning says why. Sampling goes on; waits and step timeouts stop counting.
   * t is when the pause was asked for; frozenAt when the freeze was confirmed (absent when not frozen, and in
   * recordings made before it was kept): samples stamped before it may still move.
   */
  | { kind: 'pause'; step: number | null; frozen: boolean; how: string | null; warning: string | null; frozenAt?: RunTime }
  /** The pause ended after pausedMs; the target was thawed first. */
  | { kind: 'resume'; step: number | null; pausedMs: number }
  | { kind: 'warning'; message: string }
  | { kind: 'error'; message: string };

export type LabEvent = LabEventBody & { t: RunTime };
export type LabEventKind = LabEvent['kind'];
export type EventOf<K extends LabEventKind> = Extract<LabEvent, { kind: K }>;
