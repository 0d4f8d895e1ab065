// What a run is given and what it holds while it runs: the events so far, the
// target, sampler and workloads, the step it is in, and the one way events get
// out (emit), where every OOM-kill report is decided by kill-attribution.ts.

import type { LabEvent, LabEventBody } from '../events';
import type { HostFacts } from '../host/facts';
import type { Transport } from '../ssh/transport';
import type { Target } from '../targets/target';
import type { RemoteContext } from '../remote';
import type { WorkloadHandle } from '../workloads/spec';
import type { SamplerHandle } from '../sampler/sampler';
import type { HostClock } from '../sampler/clock';
import type { OomKillReport } from '../kernel/report';
import type { LoadedScenario } from './load';
import type { PauseControl } from './pause-control';
import { canLowerOomScoreAdj } from './host-reads';
import { Aborted, EventGate } from './event-gate';
import { NO_KILLS, nextDeadline, onEvent, onKill, onTime, settleKills, workloadOfPid, workloadOfReport, type KillBook, type KillStep, type KillView } from './kill-attribution';

export interface RunOptions {
  transport: Transport;
  facts: HostFacts;
  loaded: LoadedScenario;
  appVersion: string;
  onEvent: (e: LabEvent) => void;
  /** Default: generated from the time. */
  runId?: string;
  /** Sampler tick (default the sampler's, 50 ms). */
  intervalMs?: number;
  processIntervalMs?: number;
  /** Aborting (Ctrl-C, Stop) ends the run as "aborted" after cleanup. */
  signal?: AbortSignal;
  /** Awaited before each step from index 1 on (the desktop pauses between steps: control.pause() freezes the target). */
  beforeStep?: (index: number, control: PauseControl) => Promise<void>;
  /** Given the run's pause control once run-start is out, for pauses at any moment (pause.ts). */
  onControl?: (control: PauseControl) => void;
  /** Opens a fresh connection to clean up after the link dropped. */
  reconnect?: () => Promise<Transport>;
  /** Remove oomlab leftovers of earlier runs before starting (default true). */
  sweep?: boolean;
  /** Run even with a limit that could hurt the host (0, none for a kill, at or above MemAvailable): limit-check.ts. */
  allowLargeLimit?: boolean;
}

export class RunState {
  readonly events: LabEvent[] = [];
  readonly workloads = new Map<string, WorkloadHandle>();
  readonly ac = new AbortController();
  readonly gate = new EventGate(this.ac.signal, () => this.abortError());
  clock: HostClock | null = null;
  target: Target | null = null;
  /** From here on cleanup destroys the target, even if create() failed halfway. */
  targetCreated = false;
  sampler: SamplerHandle | null = null;
  linkLost: Error | null = null;
  stepIndex: number | null = null;
  /** Index into events where the current step began. */
  stepStart = 0;
  private consumerError: Error | null = null;
  private kills: KillBook = NO_KILLS;
  private killTimer: { at: number; timer: NodeJS.Timeout } | null = null;
  private canLower: Promise<boolean> | null = null;

  constructor(
    readonly o: RunOptions,
    readonly runId: string,
  ) {}

  now(): number {
    return this.clock ? this.clock.now() : 0;
  }

  get ctx(): RemoteContext {
    return { transport: this.o.transport, facts: this.o.facts, clock: this.clock! };
  }

  /** Events from the remote side carry their own host-clock t; ours are stamped by say(). */
  readonly emit = (e: LabEvent): void => {
    this.events.push(e);
    try {
      this.o.onEvent(e);
    } catch (err) {
      // A consumer that cannot keep up (recording on a full disk) ends the run.
      if (!this.consumerError) {
        this.consumerError = err instanceof Error ? err : new Error(String(err));
        this.ac.abort(this.consumerError);
      }
    }
    this.gate.notify();
    if (e.kind !== 'oom-kill') this.decide(onEvent(this.kills, this.killView(), e));
  };

  /** The kernel-log follower's events: OOM-kill reports are decided before they become this run's. */
  readonly emitKernel = (e: LabEvent): void => {
    if (e.kind === 'oom-kill') this.decide(onKill(this.kills, this.killView(), e));
    else this.emit(e);
  };

  say(body: LabEventBody): void {
    this.emit({ ...body, t: this.now() } as LabEvent);
  }

  action(text: string): void {
    this.say({ kind: 'action', step: this.stepIndex, text });
  }

  abortError(): Aborted {
    const r: unknown = this.ac.signal.reason;
    if (this.linkLost) return new Aborted(`the connection to ${this.o.transport.label} dropped: ${this.linkLost.message}`);
    if (r instanceof Error && r === this.consumerError) return new Aborted(`could not record the run: ${r.message}`);
    return new Aborted('interrupted');
  }

  /** The follower's answer for a report's workload. */
  workloadOfReport(r: OomKillReport): string | null {
    return workloadOfReport(
      r,
      (p) => this.target?.workloadOfCgroup(p) ?? null,
      (pid) => workloadOfPid(this.kills, this.killView(), pid),
    );
  }

  lowerAllowed(): Promise<boolean> {
    this.canLower ??= canLowerOomScoreAdj(this.o.transport, this.o.facts);
    return this.canLower;
  }

  /** The run is ending: every kill still held is decided now. */
  settleKills(): void {
    this.decide(settleKills(this.kills, this.killView()));
  }

  private killView(): KillView {
    return {
      targetPath: this.target?.hierarchyPath ?? null,
      targetId: this.target?.id ?? null,
      handleOf: (pid) => {
        for (const [name, h] of this.workloads) if (h.pid === pid || h.pids.has(pid)) return name;
        return null;
      },
      counter: this.sampler?.latest()?.oomKills ?? null,
      now: performance.now(),
    };
  }

  private decide(step: KillStep): void {
    this.kills = step.book;
    for (const d of step.decisions) {
      if ('ours' in d) {
        this.emit(d.ours);
        this.target?.onOomKill?.(d.ours.report);
      } else {
        const { t, report: r } = d.foreign;
        this.emit({ kind: 'warning', t, message: `OOM kill outside this run on ${this.o.transport.label}: pid ${r.pid} (${r.comm}) in ${r.taskMemcg ?? r.memcg}${d.why}` });
      }
    }
    this.armKillTimer();
  }

  /** One timer for the earliest held kill. */
  private armKillTimer(): void {
    const at = nextDeadline(this.kills);
    if (this.killTimer?.at === at) return;
    if (this.killTimer) clearTimeout(this.killTimer.timer);
    this.killTimer = null;
    if (at === null) return;
    const timer = setTimeout(() => {
      this.killTimer = null;
      this.decide(onTime(this.kills, this.killView()));
    }, Math.max(0, at - performance.now()));
    this.killTimer = { at, timer };
  }
}
