// Runs a loaded scenario on a host: sweeps leftovers of earlier runs, creates
// the target, follows the kernel log, samples counters, performs each step's
// actions, checks its expectations, and ALWAYS cleans up (success, failed
// expectation, timeout, abort/Ctrl-C, dropped SSH link). Everything it sees or
// does is emitted as LabEvents on the host's clock.

import type { EventOf, LabEvent, LabEventBody } from '../events';
import type { HostFacts } from '../host/facts';
import type { Transport } from '../ssh/transport';
import { createTarget, sweepLeftovers, type Target, type TargetSpec } from '../targets/target';
import { newRunId } from '../session/run-id';
import { podSpecOf } from '../targets/pod-options';
import { startWorkload, type RemoteContext, type WorkloadHandle, type WorkloadSpec } from '../workloads/spec';
import { startSampler, type SamplerHandle } from '../sampler/sampler';
import { startKernelFollower, type FollowerHandle, type ReportParserLike } from '../kernel/follower';
import { OomReportParser } from '../kernel/oom-parser';
import { measureHostClock, type HostClock } from '../sampler/clock';
import type { LoadedScenario } from './load';
import type { Action, SetAction, StartAction, WaitAction } from './schema';
import { describeWait, evaluateExpectation, waitMet, type Verdict } from './expectations';
import { AFTER_KILL_WINDOW_MS } from './evidence';
import { formatBytes, formatDuration } from './units';
import { canLowerOomScoreAdj, describeOvercommit, describeTrace, hostCgroupVersion, inspectWorkload, readOvercommit, traceKill } from './host-reads';
import { leafName } from '../targets/names';
import type { Requirements } from './schema';

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
  /** Awaited before each step from index 1 on (the desktop pauses between steps). */
  beforeStep?: (index: number) => Promise<void>;
  /** Opens a fresh connection to clean up after the link dropped. */
  reconnect?: () => Promise<Transport>;
  /** Remove oomlab leftovers of earlier runs before starting (default true). */
  sweep?: boolean;
}

export interface RunResult {
  runId: string;
  outcome: 'passed' | 'failed' | 'error' | 'aborted';
  reason: string | null;
  verdicts: Array<Verdict & { step: number }>;
  events: LabEvent[];
  /** Leftovers of earlier runs removed by the sweep. */
  swept: string[];
  /** Cleanup left something behind (it was reported as error events). */
  cleanupFailed: boolean;
}

const DEFAULT_WAIT_MS = 60_000;
const DEFAULT_TIME_CAP_MS = 5 * 60_000;
const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 15_000;
const KILL_ATTRIBUTION_MS = 1500;
/** Sampling goes on this long after the last step (scenario `tail`), so the chart shows what it caused. */
const DEFAULT_TAIL_MS = 1000;
/** After an awaited OOM kill, at most this long for a sample read after it. */
const AFTER_KILL_SAMPLE_MS = 2000;

/** Why a host cannot run a scenario (or a step) with these requirements, or null. Host capabilities asked lazily. */
export async function unmetRequirement(req: Requirements | undefined, facts: HostFacts, ask: { lowerOomScoreAdj: () => Promise<boolean> }): Promise<string | null> {
  if (!req) return null;
  if (req.cgroup && hostCgroupVersion(facts) !== req.cgroup) {
    return `needs cgroup ${req.cgroup}; ${facts.host} has its memory controller on cgroup ${hostCgroupVersion(facts)}`;
  }
  if (req.lowerOomScoreAdj && !(await ask.lowerOomScoreAdj())) {
    return `needs to lower oom_score_adj below 0, which root on ${facts.host} may not do (no CAP_SYS_RESOURCE)`;
  }
  return null;
}

export class WaitTimeout extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaitTimeout';
  }
}
class Aborted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Aborted';
  }
}

/** The shared kernel OOM report parser, in the shape the follower takes. */
export function newReportParser(): ReportParserLike {
  const p = new OomReportParser();
  return { push: (line) => p.push(line), flush: () => p.end() };
}

export async function runScenario(opts: RunOptions): Promise<RunResult> {
  return new Run(opts).run();
}

class Run {
  private readonly events: LabEvent[] = [];
  private readonly waiters = new Set<() => void>();
  private readonly verdicts: RunResult['verdicts'] = [];
  private readonly ac = new AbortController();
  private readonly runId: string;
  private readonly workloads = new Map<string, WorkloadHandle>();
  private clock: HostClock | null = null;
  private target: Target | null = null;
  private targetCreated = false;
  private sampler: SamplerHandle | null = null;
  private follower: FollowerHandle | null = null;
  private linkLost: Error | null = null;
  private consumerError: Error | null = null;
  private cleanupFailed = false;
  private swept: string[] = [];
  private stepIndex: number | null = null;
  private stepStart = 0;
  /** Member pids seen by the sampler, for kills whose report names no cgroup. */
  private readonly pidWorkload = new Map<number, string>();
  private ourKills = 0;
  private pendingKills: Array<{ ev: EventOf<'oom-kill'>; timer: NodeJS.Timeout }> = [];
  /** Kills in our target whose pid no workload has claimed yet (within KILL_ATTRIBUTION_MS). */
  private unplacedKills: Array<{ ev: EventOf<'oom-kill'>; timer: NodeJS.Timeout }> = [];
  private canLower: Promise<boolean> | null = null;

  constructor(private readonly o: RunOptions) {
    this.runId = o.runId ?? newRunId();
  }

  // ------------------------------------------------------------ events

  private now(): number {
    return this.clock ? this.clock.now() : 0;
  }

  /** Events from the remote side carry their own host-clock t; ours are stamped now. */
  private readonly emit = (e: LabEvent): void => {
    if (e.kind === 'processes' && e.cgroup === this.target?.id) for (const p of e.processes) if (p.workload) this.pidWorkload.set(p.pid, p.workload);
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
    for (const w of [...this.waiters]) w();
    if (e.kind === 'sample' && this.pendingKills.length) this.attributePending();
    if ((e.kind === 'workload-start' || e.kind === 'processes' || e.kind === 'workload-output') && this.unplacedKills.length) for (const u of [...this.unplacedKills]) this.placeUnplaced(u.ev, false);
  };

  /**
   * The kernel log is the whole host's: an OOM kill in someone else's cgroup
   * is not this run's (it must not satisfy "wait for an OOM kill"), so it
   * becomes a warning; its lines stay as kernel-line events.
   *
   * The kernel rate-limits the report header (10 per 5 s, host-wide), and a
   * kill without it names no cgroup. Such a kill counts as ours when the victim
   * was seen in our target, or when the target's oom_kill counter shows a kill
   * not yet accounted for (within KILL_ATTRIBUTION_MS).
   */
  private readonly emitKernel = (e: LabEvent): void => {
    if (e.kind !== 'oom-kill') return this.emit(e);
    const r = e.report;
    const workload = e.workload ?? this.workloadOfPid(r.pid);
    const ev = workload === e.workload ? e : { ...e, workload };
    if (workload === null && r.pid !== null && (this.inside(r.memcg) || this.inside(r.taskMemcg))) {
      // Ours, but the victim's pid is not placed yet: its workload's start marker
      // or the next process list may still be on the way (a group kill takes
      // processes the OOM killer never printed a cgroup for).
      const timer = setTimeout(() => this.placeUnplaced(ev, true), KILL_ATTRIBUTION_MS);
      this.unplacedKills.push({ ev, timer });
      return;
    }
    if (workload !== null || this.inside(r.memcg) || this.inside(r.taskMemcg)) return this.acceptKill(ev);
    if (r.taskMemcg === null && (r.memcg === 'unknown' || r.memcg === '')) {
      const timer = setTimeout(() => this.expirePending(ev), KILL_ATTRIBUTION_MS);
      this.pendingKills.push({ ev, timer });
      this.attributePending();
      return;
    }
    this.foreignKill(ev, '');
  };

  /** Accept an unplaced kill once its pid is placed, or (expired) without a workload. */
  private placeUnplaced(ev: EventOf<'oom-kill'>, expired: boolean): void {
    const workload = this.workloadOfPid(ev.report.pid);
    if (workload === null && !expired) return;
    const i = this.unplacedKills.findIndex((u) => u.ev === ev);
    if (i < 0) return;
    clearTimeout(this.unplacedKills[i]!.timer);
    this.unplacedKills.splice(i, 1);
    this.acceptKill(workload === null ? ev : { ...ev, workload });
  }

  private inside(path: string | null): boolean {
    const hp = this.target?.hierarchyPath;
    return hp !== undefined && path !== null && (path === hp || path.startsWith(`${hp}/`));
  }

  private acceptKill(ev: EventOf<'oom-kill'>): void {
    // memory.oom.group prints the first victim again among the members, without its cgroup.
    if (ev.workload !== null) this.pidWorkload.set(ev.report.pid, ev.workload);
    this.ourKills++;
    this.emit(ev);
    this.target?.onOomKill?.(ev.report);
  }

  private foreignKill(ev: EventOf<'oom-kill'>, why: string): void {
    const r = ev.report;
    this.emit({ kind: 'warning', t: ev.t, message: `OOM kill outside this run on ${this.o.transport.label}: pid ${r.pid} (${r.comm}) in ${r.taskMemcg ?? r.memcg}${why}` });
  }

  /** Header-less kills become ours while the target's counter is ahead of the kills we have. */
  private attributePending(): void {
    const counter = this.sampler?.latest()?.oomKills ?? null;
    while (this.pendingKills.length && counter !== null && counter > this.ourKills) {
      const p = this.pendingKills.shift()!;
      clearTimeout(p.timer);
      this.acceptKill(p.ev);
    }
  }

  private expirePending(ev: EventOf<'oom-kill'>): void {
    const i = this.pendingKills.findIndex((p) => p.ev === ev);
    if (i < 0) return;
    this.pendingKills.splice(i, 1);
    this.foreignKill(ev, " (the report names no cgroup, and this run's oom_kill counter did not move)");
  }

  private say(body: LabEventBody): void {
    this.emit({ ...body, t: this.now() } as LabEvent);
  }

  private action(text: string): void {
    this.say({ kind: 'action', step: this.stepIndex, text });
  }

  private get ctx(): RemoteContext {
    return { transport: this.o.transport, facts: this.o.facts, clock: this.clock! };
  }

  // ------------------------------------------------------------ waiting

  private abortError(): Aborted {
    const r: unknown = this.ac.signal.reason;
    if (this.linkLost) return new Aborted(`the connection to ${this.o.transport.label} dropped: ${this.linkLost.message}`);
    if (r instanceof Error && r === this.consumerError) return new Aborted(`could not record the run: ${r.message}`);
    return new Aborted('interrupted');
  }

  /** Resolves with check()'s non-null result; re-checked on every event. */
  private until<T>(check: () => T | null, timeoutMs: number, onTimeout: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const first = check();
      if (first !== null) return resolve(first);
      if (this.ac.signal.aborted) return reject(this.abortError());
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(poll);
        this.ac.signal.removeEventListener('abort', onAbort);
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
      const timer = setTimeout(() => {
        done();
        reject(new WaitTimeout(onTimeout()));
      }, timeoutMs);
      this.waiters.add(poll);
      this.ac.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** A promise raced against abort and a deadline. */
  private bounded<T>(p: Promise<T>, timeoutMs: number, what: string): Promise<T> {
    let settled: { v: T } | { e: unknown } | null = null;
    p.then(
      (v) => {
        settled = { v };
        for (const w of [...this.waiters]) w();
      },
      (e: unknown) => {
        settled = { e };
        for (const w of [...this.waiters]) w();
      },
    );
    return this.until(
      () => settled as ({ v: T } | { e: unknown } | null),
      timeoutMs,
      () => `${what}: no answer within ${formatDuration(timeoutMs)}`,
    ).then((s) => {
      if ('e' in s) throw s.e;
      return s.v;
    });
  }

  private sleep(ms: number): Promise<void> {
    return this.until<true>(() => null, ms, () => '').catch((e: unknown) => {
      if (e instanceof WaitTimeout) return;
      throw e;
    }) as Promise<void>;
  }

  // ------------------------------------------------------------ the run

  async run(): Promise<RunResult> {
    const { transport, facts, loaded } = this.o;
    const s = loaded.scenario;
    const offAbort = () => this.ac.abort(this.o.signal?.reason);
    if (this.o.signal?.aborted) this.ac.abort(this.o.signal.reason);
    this.o.signal?.addEventListener('abort', offAbort, { once: true });
    const offDisconnect = transport.onDisconnect((err) => {
      this.linkLost = err;
      this.ac.abort(err);
    });

    let outcome: RunResult['outcome'] = 'passed';
    let reason: string | null = null;
    // A scenario made for the other cgroup version is refused before anything is created.
    const refused = await unmetRequirement(s.requires, facts, { lowerOomScoreAdj: () => this.lowerAllowed() }).catch((e: Error) => `cannot check the host: ${e.message}`);
    if (refused) {
      offDisconnect();
      this.o.signal?.removeEventListener('abort', offAbort);
      return { runId: this.runId, outcome: 'error', reason: `${s.id} ${refused}`, verdicts: [], events: this.events, swept: [], cleanupFailed: false };
    }
    try {
      if (this.o.sweep !== false) {
        try {
          this.swept = await sweepLeftovers(transport, facts);
        } catch (e) {
          // Reported after run-start, so the recording carries it.
          this.swept = [];
          reason = `sweeping leftovers failed: ${(e as Error).message}`;
        }
      }
      this.clock = await measureHostClock(transport);
      const spec: TargetSpec = { runId: this.runId, limitBytes: s.limit, swap: s.swap, appVersion: this.o.appVersion, ...(s.target.kind === 'docker' ? { docker: { image: s.target.image, mode: s.target.mode, network: s.target.network } } : {}), ...podSpecOf(s.target) };
      this.target = createTarget(transport, facts, spec);
      this.emit({
        kind: 'run-start',
        t: 0,
        runId: this.runId,
        scenario: { id: s.id, title: s.title, file: loaded.file },
        host: facts,
        target: { kind: this.target.kind, path: this.target.path, limitBytes: s.limit, swapPinned: this.target.swapPinned },
        startedAt: new Date(this.clock.startEpochMs).toISOString(),
        appVersion: this.o.appVersion,
      });
      if (reason) this.say({ kind: 'warning', message: reason });
      reason = null;
      for (const name of this.swept) this.action(`removed ${name}, left over from an earlier run`);

      this.follower = startKernelFollower(
        this.ctx,
        {
          runId: this.runId,
          parser: newReportParser(),
          // The kills of a memory.oom.group kill carry the first victim's task_memcg: only their pid says whose they are.
          resolveWorkload: (r) => (r.groupKill ? this.workloadOfPid(r.pid) : (this.target?.workloadOfCgroup(r.taskMemcg) ?? this.workloadOfPid(r.pid))),
        },
        this.emitKernel,
      );
      await this.bounded(this.follower.ready, 20_000, `following the kernel log (${this.follower.source})`);

      const explicitCreate = s.steps.some((st) => st.actions.some((a) => 'create' in a));
      if (!explicitCreate) await this.createTarget();

      for (let i = 0; i < s.steps.length; i++) {
        const step = s.steps[i]!;
        if (i > 0 && this.o.beforeStep) await this.bounded(this.o.beforeStep(i), 24 * 3600_000, 'waiting to continue');
        this.stepIndex = i;
        this.stepStart = this.events.length;
        this.say({ kind: 'step-start', index: i, title: step.title, narration: step.narration ?? { en: '' } });
        const unmet = await unmetRequirement(step.requires, facts, { lowerOomScoreAdj: () => this.lowerAllowed() });
        if (unmet) {
          this.say({ kind: 'step-end', index: i, outcome: 'skipped', message: `this step ${unmet}` });
          continue;
        }
        let stepOutcome: 'ok' | 'failed' | 'timeout' | 'error' = 'ok';
        let message: string | null = null;
        let fatal: unknown = null;
        try {
          for (const a of step.actions) await this.perform(a);
        } catch (e) {
          if (e instanceof WaitTimeout) stepOutcome = 'timeout';
          else {
            stepOutcome = 'error';
            fatal = e;
          }
          message = (e as Error).message;
        }
        if (!(fatal instanceof Aborted) && step.expect.length) {
          await this.settle(step.expect.some((x) => 'oomKilled' in x || 'notOomKilled' in x || 'oomKills' in x));
          // The drop after a kill can take a few ticks on a slow host: give afterKill its window before judging.
          const afterKill = step.expect.filter((x) => 'afterKill' in x);
          if (afterKill.length) await this.until(() => (afterKill.every((x) => evaluateExpectation(x, this.events).passed) ? true : null), AFTER_KILL_WINDOW_MS, () => '').catch(ignoreTimeout);
          for (const x of step.expect) {
            const v = evaluateExpectation(x, this.events);
            this.verdicts.push({ ...v, step: i });
            this.say({ kind: 'expectation', step: i, text: v.text, passed: v.passed, observed: v.observed });
            if (!v.passed && stepOutcome === 'ok') stepOutcome = 'failed';
          }
        }
        this.say({ kind: 'step-end', index: i, outcome: stepOutcome, message });
        if (fatal) throw fatal;
        if (stepOutcome === 'timeout') {
          outcome = 'failed';
          reason = `step ${i + 1}: ${message}`;
          break;
        }
        if (stepOutcome === 'failed' && outcome === 'passed') {
          outcome = 'failed';
          reason = `step ${i + 1}: an expectation failed`;
        }
      }
      // Keep watching a moment: a run that ended right at a kill would otherwise
      // stop sampling before the counters show the climb's end and the drop.
      const tail = s.tail ?? DEFAULT_TAIL_MS;
      if (this.sampler && tail > 0) {
        this.stepIndex = null;
        this.action(`keep sampling ${formatDuration(tail)} before cleaning up`);
        await this.sleep(tail);
      }
    } catch (e) {
      if (e instanceof Aborted || this.ac.signal.aborted) {
        outcome = 'aborted';
        reason = this.abortError().message;
      } else {
        outcome = 'error';
        reason = (e as Error).message;
        if (this.clock) this.say({ kind: 'error', message: reason });
      }
    } finally {
      this.stepIndex = null;
      this.o.signal?.removeEventListener('abort', offAbort);
      await this.cleanup();
      offDisconnect();
      if (outcome === 'passed' && this.cleanupFailed) {
        outcome = 'error';
        reason = 'cleanup failed';
      }
      if (this.clock) this.say({ kind: 'run-end', outcome, reason });
    }
    return { runId: this.runId, outcome, reason, verdicts: this.verdicts, events: this.events, swept: this.swept, cleanupFailed: this.cleanupFailed };
  }

  private workloadOfPid(pid: number): string | null {
    for (const [name, h] of this.workloads) if (h.pid === pid || h.pids.has(pid)) return name;
    return this.pidWorkload.get(pid) ?? null;
  }

  private async createTarget(): Promise<void> {
    const t = this.target!;
    this.targetCreated = true; // from here on cleanup destroys it, even if create() failed halfway
    t.attach?.(this.ctx, this.emit);
    await t.create();
    this.action(
      `created ${t.kind} ${t.path} with limit ${formatBytes(t.limitBytes)}${t.limitBytes !== null ? ` (${t.limitBytes} B)` : ''}, swap ${t.swapPinned ? 'pinned' : 'allowed'}`,
    );
    for (const w of t.warnings) this.say({ kind: 'warning', message: w });
    this.sampler = startSampler(this.ctx, t, { intervalMs: this.o.intervalMs, processIntervalMs: this.o.processIntervalMs }, this.emit);
    // Expectations need numbers: wait for the first sample before anything starts.
    await this.until(() => (this.sampler!.latest() ? true : null), 15_000, () => 'the sampler sent no sample within 15 s');
  }

  private async perform(a: Action): Promise<void> {
    if (this.ac.signal.aborted) throw this.abortError();
    if ('create' in a) return this.createTarget();
    if ('start' in a) return this.start(a.start);
    if ('wait' in a) return this.wait(a.wait);
    if ('set' in a) return this.set(a.set);
    if ('read' in a) return this.readOvercommit();
    if ('inspect' in a) return this.inspect(a.inspect);
    if ('trace' in a) return this.trace();
    const h = this.workloads.get(a.stop);
    if (!h) throw new Error(`workload ${a.stop} is not running`);
    this.action(`stop ${a.stop}`);
    await this.bounded(h.stop(), STOP_TIMEOUT_MS, `stopping ${a.stop}`);
  }

  private async start(st: StartAction): Promise<void> {
    const spec = toWorkloadSpec(st);
    this.action(`start ${st.workload}: ${describeSpec(spec)}`);
    const h = startWorkload(this.ctx, this.target!, st.workload, spec, this.emit);
    this.workloads.set(st.workload, h);
    await this.bounded(h.started, START_TIMEOUT_MS, `starting ${st.workload}`);
  }

  private async wait(w: WaitAction): Promise<void> {
    if (w.for !== undefined) {
      this.action(`wait ${formatDuration(w.for)}`);
      return this.sleep(w.for);
    }
    const timeout = w.timeout ?? DEFAULT_WAIT_MS;
    const what = describeWait(w);
    this.action(`wait for ${what} (at most ${formatDuration(timeout)})`);
    const started = this.now();
    const met = await this.until(
      () => waitMet(w, { events: this.events, stepStart: this.stepStart }),
      timeout,
      () => `timed out after ${formatDuration(timeout)} waiting for ${what}`,
    );
    this.action(`${met} (after ${formatDuration(Math.max(0, Math.round(this.now() - started)))})`);
    if (w.oomKill !== undefined && this.sampler) {
      // The kill is known from the kernel log; make sure the step also holds a
      // sample read after it (the counters at the limit, failcnt, the drop).
      const n = this.sampler.count;
      await this.until(() => (this.sampler!.count > n ? true : null), AFTER_KILL_SAMPLE_MS, () => '').catch(ignoreTimeout);
    }
  }

  private lowerAllowed(): Promise<boolean> {
    this.canLower ??= canLowerOomScoreAdj(this.o.transport, this.o.facts);
    return this.canLower;
  }

  private async readOvercommit(): Promise<void> {
    const r = await this.bounded(readOvercommit(this.o.transport, this.o.facts), 20_000, 'reading overcommit settings');
    const mib = (kb: number | null) => (kb === null ? '?' : formatBytes(kb * 1024));
    this.say({ kind: 'action', step: this.stepIndex, text: `read ${describeOvercommit(r, mib)}`, read: r });
  }

  private async inspect(workload: string): Promise<void> {
    const h = this.workloads.get(workload);
    if (!h) throw new Error(`workload ${workload} is not running`);
    const leaf = `${this.target!.path}/${leafName(workload)}`;
    const r = await this.bounded(inspectWorkload(this.o.transport, this.o.facts, workload, leaf, h.pid !== null ? [h.pid] : []), 20_000, `inspecting ${workload}`);
    const kb = (n: number | null) => (n === null ? '?' : formatBytes(n * 1024));
    const rows = r.processes.map((p) => `${p.pid} ${p.comm} VmSize ${kb(p.vmSizeKb)} VmRSS ${kb(p.vmRssKb)}`).join('; ');
    this.say({ kind: 'action', step: this.stepIndex, text: `inspect ${workload}: ${rows || 'no processes'}`, read: r });
  }

  private async trace(): Promise<void> {
    const kills = this.events.filter((e): e is EventOf<'oom-kill'> => e.kind === 'oom-kill');
    const k = kills[kills.length - 1];
    if (!k) throw new Error('trace: no OOM kill has been reported in this run');
    const r = await this.bounded(traceKill(this.o.transport, this.o.facts, k.report, (p) => this.target?.workloadOfCgroup(p) ?? null), 20_000, `tracing pid ${k.report.pid}`);
    this.say({ kind: 'action', step: this.stepIndex, text: describeTrace(r), read: r });
  }

  private async set(knobs: SetAction): Promise<void> {
    for (const [k, v] of Object.entries(knobs) as Array<[keyof SetAction, SetAction[keyof SetAction]]>) {
      if (v === undefined) continue;
      await this.target!.setKnob(k, v as never);
      this.action(`set ${k} = ${typeof v === 'number' ? `${formatBytes(v)} (${v} B)` : v === null ? 'max' : String(v)}`);
    }
  }

  /**
   * Before judging a step, let the observers catch up: one more sample, and
   * kernel reports for kills the counters or workload exits already show.
   */
  private async settle(needReports: boolean): Promise<void> {
    if (!this.sampler) return;
    const before = this.sampler.count;
    await this.until(() => (this.sampler!.count > before ? true : null), 3000, () => '').catch(ignoreTimeout);
    if (!needReports) return;
    const reportsBehind = () => {
      const reports = this.events.filter((e) => e.kind === 'oom-kill').length;
      const counter = this.sampler!.latest()?.oomKills ?? 0;
      const exits = this.events.filter((e) => e.kind === 'workload-exit' && e.oomKilled).length;
      return reports >= Math.max(counter, exits) ? true : null;
    };
    await this.until(reportsBehind, 5000, () => '').catch(ignoreTimeout);
  }

  // ------------------------------------------------------------ cleanup

  private async cleanup(): Promise<void> {
    for (const u of [...this.unplacedKills]) this.placeUnplaced(u.ev, true);
    this.attributePending();
    for (const p of [...this.pendingKills]) {
      clearTimeout(p.timer);
      this.expirePending(p.ev);
    }
    const problems: string[] = [];
    const attempt = async (what: string, f: () => Promise<unknown>, ms: number) => {
      try {
        await withDeadline(f(), ms, what);
      } catch (e) {
        problems.push(`${what}: ${(e as Error).message}`);
      }
    };
    if (!this.linkLost) {
      await Promise.all([...this.workloads].map(([name, h]) => attempt(`stopping ${name}`, () => h.stop(), STOP_TIMEOUT_MS)));
      if (this.sampler) await attempt('stopping the sampler', () => this.sampler!.stop(), 10_000);
      if (this.follower) await attempt('stopping the kernel-log follower', () => this.follower!.stop(), 10_000);
      if (this.target && this.targetCreated) {
        await attempt(`removing ${this.target.path}`, () => this.target!.destroy(), 60_000);
        if (!problems.length) this.action(`removed ${this.target.path}`);
      }
    } else {
      // The host killed our workloads when the channels closed; the cgroup is
      // still there. Reconnect to remove it, else the next connect sweeps it.
      if (this.target && this.targetCreated) await this.cleanupAfterDrop(problems);
    }
    for (const p of problems) if (this.clock) this.say({ kind: 'error', message: `cleanup: ${p}` });
    if (problems.length) this.cleanupFailed = true;
  }

  private async cleanupAfterDrop(problems: string[]): Promise<void> {
    const path = this.target!.path;
    if (!this.o.reconnect) {
      problems.push(`the connection dropped; ${path} remains until the next connect or \`oomlab cleanup\``);
      return;
    }
    let t: Transport | null = null;
    try {
      t = await withDeadline(this.o.reconnect(), 60_000, 'reconnecting');
      const st = this.o.loaded.scenario.target;
      const again = createTarget(t, this.o.facts, { runId: this.runId, limitBytes: this.target!.limitBytes, swap: this.target!.swapPinned ? 'pinned' : 'allowed', appVersion: this.o.appVersion, ...(st.kind === 'docker' ? { docker: { image: st.image, mode: st.mode, network: st.network } } : {}), ...podSpecOf(st) });
      await withDeadline(again.destroy(), 60_000, `removing ${path}`);
      this.action(`reconnected and removed ${path}`);
    } catch (e) {
      problems.push(`${(e as Error).message}; ${path} remains until the next connect or \`oomlab cleanup\``);
    } finally {
      await t?.close().catch(() => {});
    }
  }
}

function ignoreTimeout(e: unknown): void {
  if (!(e instanceof WaitTimeout)) throw e;
}

function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${formatDuration(ms)}`)), ms);
    }),
  ]);
}

export function toWorkloadSpec(st: StartAction): WorkloadSpec {
  const common = { oomScoreAdj: st.oomScoreAdj, timeCapSec: Math.ceil((st.timeCap ?? DEFAULT_TIME_CAP_MS) / 1000) };
  if ('stress' in st) return { ...common, kind: 'stress', ...st.stress };
  if ('stress-ng' in st) return { ...common, kind: 'stress-ng', ...st['stress-ng'] };
  if ('ramp' in st) return { ...common, kind: 'ramp', ...st.ramp };
  return { ...common, kind: 'cache-writer', ...st['cache-writer'] };
}

export function describeSpec(s: WorkloadSpec): string {
  const adj = s.oomScoreAdj !== undefined ? `, oom_score_adj ${s.oomScoreAdj}` : '';
  switch (s.kind) {
    case 'stress':
    case 'stress-ng':
      return `${s.kind} --vm ${s.vm} --vm-bytes ${s.vmBytes}${s.vmKeep ? ' --vm-keep' : ''}${s.vmHang !== undefined ? ` --vm-hang ${s.vmHang}` : ''}${s.kind === 'stress' && s.vmStride !== undefined ? ` --vm-stride ${s.vmStride}` : ''}${s.kind === 'stress-ng' && s.oomable ? ' --oomable' : ''} (${formatBytes(s.vmBytes)}${adj})`;
    case 'ramp':
      return `allocate ${s.stepMb} MiB steps at ${s.mbPerSec} MiB/s${s.maxMb ? ` up to ${s.maxMb} MiB` : ''}${adj}`;
    case 'cache-writer':
      return `write ${s.totalMb} MiB of page cache at ${s.mbPerSec} MiB/s${adj}`;
  }
}
