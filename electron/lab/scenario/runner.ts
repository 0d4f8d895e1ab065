// Runs a loaded scenario on a host: sweeps leftovers of earlier runs, creates
// the target, follows the kernel log, samples counters, performs each step's
// actions, checks its expectations, and ALWAYS cleans up (success, failed
// expectation, timeout, abort/Ctrl-C, dropped SSH link). Everything it sees or
// does is emitted as LabEvents on the host's clock.

import type { LabEvent } from '../events';
import type { Transport } from '../ssh/transport';
import { createTarget } from '../targets/factory';
import { sweepLeftovers } from '../targets/sweep';
import type { TargetSpec } from '../targets/target';
import { startKernelFollower, type FollowerHandle } from '../kernel/follower';
import { measureHostClock } from '../sampler/clock';
import type { Step } from './schema';
import { evaluateExpectation } from './expectations';
import type { Verdict } from './judging';
import { newRunId } from '../session/run-id';
import { AFTER_KILL_WINDOW_MS } from './evidence';
import { formatDuration } from './units';
import { Aborted, ignoreTimeout, WaitTimeout, withDeadline } from './event-gate';
import { RunState, type RunOptions } from './run-state';
import { createAndSample, perform, STOP_TIMEOUT_MS } from './actions';
import { targetSpecOf } from './target-spec';
import { unmetRequirement } from './requirements';
import { unsafeLimit } from './limit-check';
import { freezeProblemOf, pauseControl } from './pause';
import type { PauseControl } from './pause-control';

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

/** Sampling goes on this long after the last step (scenario `tail`), so the chart shows what it caused. */
const DEFAULT_TAIL_MS = 1000;
const FOLLOWER_READY_MS = 20_000;
/** The desktop may pause between steps; a day is "paused", not "hung". */
const BEFORE_STEP_MS = 24 * 3600_000;

/** Throws UnsafeLimitError (kind 'input') before anything is created on the host when the limit could hurt it. */
export async function runScenario(opts: RunOptions): Promise<RunResult> {
  const unsafe = opts.allowLargeLimit ? null : unsafeLimit(opts.loaded, opts.facts);
  if (unsafe) throw unsafe;
  return new Run(opts).run();
}

type StepOutcome = 'ok' | 'failed' | 'timeout' | 'error';

class Run {
  private readonly r: RunState;
  private readonly spec: TargetSpec;
  private readonly verdicts: RunResult['verdicts'] = [];
  private follower: FollowerHandle | null = null;
  private cleanupFailed = false;
  private swept: string[] = [];
  private readonly control: PauseControl;

  constructor(private readonly o: RunOptions) {
    this.r = new RunState(o, o.runId ?? newRunId());
    this.spec = targetSpecOf(o.loaded.scenario, this.r.runId, o.appVersion);
    this.control = pauseControl(this.r);
  }

  async run(): Promise<RunResult> {
    const { r, o } = this;
    const s = o.loaded.scenario;
    const offAbort = () => r.ac.abort(o.signal?.reason);
    if (o.signal?.aborted) r.ac.abort(o.signal.reason);
    o.signal?.addEventListener('abort', offAbort, { once: true });
    const offDisconnect = o.transport.onDisconnect((err) => {
      r.linkLost = err;
      r.ac.abort(err);
    });

    let outcome: RunResult['outcome'] = 'passed';
    let reason: string | null = null;
    // A scenario made for the other cgroup version is refused before anything is created.
    const refused = await unmetRequirement(s.requires, o.facts, { lowerOomScoreAdj: () => r.lowerAllowed() }).catch((e: Error) => `cannot check the host: ${e.message}`);
    if (refused) {
      offDisconnect();
      o.signal?.removeEventListener('abort', offAbort);
      return { runId: r.runId, outcome: 'error', reason: `${s.id} ${refused}`, verdicts: [], events: r.events, swept: [], cleanupFailed: false };
    }
    try {
      // Reported after run-start, so the recording carries it.
      const sweepFailed = await this.sweep();
      await this.begin();
      if (sweepFailed) r.say({ kind: 'warning', message: sweepFailed });
      // Said before the first step, so a presenter knows a pause will not hold the workloads.
      const noFreeze = o.beforeStep || o.onControl ? freezeProblemOf(r) : null;
      if (noFreeze) r.say({ kind: 'warning', message: `pausing on ${o.transport.label}: ${noFreeze}, so a pause holds the runner only and the workloads keep running` });
      o.onControl?.(this.control);
      for (const name of this.swept) r.action(`removed ${name}, left over from an earlier run`);
      await this.followKernel();
      if (!s.steps.some((st) => st.actions.some((a) => 'create' in a))) await createAndSample(r);

      for (let i = 0; i < s.steps.length; i++) {
        if (i > 0 && o.beforeStep) await r.gate.bounded(o.beforeStep(i, this.control), BEFORE_STEP_MS, 'waiting to continue');
        const { stepOutcome, message } = await this.step(i, s.steps[i]!);
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
      if (r.sampler && tail > 0) {
        r.stepIndex = null;
        r.action(`keep sampling ${formatDuration(tail)} before cleaning up`);
        await r.gate.sleep(tail);
      }
    } catch (e) {
      if (e instanceof Aborted || r.ac.signal.aborted) {
        outcome = 'aborted';
        reason = r.abortError().message;
      } else {
        outcome = 'error';
        reason = (e as Error).message;
        if (r.clock) r.say({ kind: 'error', message: reason });
      }
    } finally {
      r.stepIndex = null;
      o.signal?.removeEventListener('abort', offAbort);
      await this.cleanup();
      offDisconnect();
      if (outcome === 'passed' && this.cleanupFailed) {
        outcome = 'error';
        reason = 'cleanup failed';
      }
      if (r.clock) r.say({ kind: 'run-end', outcome, reason });
    }
    return { runId: r.runId, outcome, reason, verdicts: this.verdicts, events: r.events, swept: this.swept, cleanupFailed: this.cleanupFailed };
  }

  /** Removes leftovers of earlier runs; a failure is only a warning (returned). */
  private async sweep(): Promise<string | null> {
    if (this.o.sweep === false) return null;
    try {
      this.swept = await sweepLeftovers(this.o.transport, this.o.facts);
      return null;
    } catch (e) {
      this.swept = [];
      return `sweeping leftovers failed: ${(e as Error).message}`;
    }
  }

  /** The clock, the target's handle (not created yet) and run-start, which is always t = 0. */
  private async begin(): Promise<void> {
    const { r, o } = this;
    const s = o.loaded.scenario;
    const clock = await measureHostClock(o.transport);
    r.clock = clock;
    const target = createTarget(o.transport, o.facts, this.spec);
    r.target = target;
    r.emit({
      kind: 'run-start',
      t: 0,
      runId: r.runId,
      scenario: { id: s.id, title: s.title, file: o.loaded.file },
      host: o.facts,
      target: { kind: target.kind, path: target.path, limitBytes: s.limit, swapPinned: target.swapPinned },
      startedAt: new Date(clock.startEpochMs).toISOString(),
      appVersion: o.appVersion,
    });
  }

  private async followKernel(): Promise<void> {
    const r = this.r;
    const follower = startKernelFollower(r.ctx, { runId: r.runId, resolveWorkload: (rep) => r.workloadOfReport(rep) }, r.emitKernel);
    this.follower = follower;
    await r.gate.bounded(follower.ready, FOLLOWER_READY_MS, `following the kernel log (${follower.source})`);
  }

  /** One step: its actions, then its expectations. A fatal error is rethrown after step-end. */
  private async step(i: number, step: Step): Promise<{ stepOutcome: StepOutcome | 'skipped'; message: string | null }> {
    const r = this.r;
    r.stepIndex = i;
    r.stepStart = r.events.length;
    r.say({ kind: 'step-start', index: i, title: step.title, narration: step.narration ?? { en: '' } });
    const unmet = await unmetRequirement(step.requires, this.o.facts, { lowerOomScoreAdj: () => r.lowerAllowed() });
    if (unmet) {
      r.say({ kind: 'step-end', index: i, outcome: 'skipped', message: `this step ${unmet}` });
      return { stepOutcome: 'skipped', message: null };
    }
    let stepOutcome: StepOutcome = 'ok';
    let message: string | null = null;
    let fatal: unknown = null;
    try {
      for (const a of step.actions) await perform(r, a);
    } catch (e) {
      if (e instanceof WaitTimeout) stepOutcome = 'timeout';
      else {
        stepOutcome = 'error';
        fatal = e;
      }
      message = (e as Error).message;
    }
    if (!(fatal instanceof Aborted) && step.expect.length && !(await this.judge(i, step))) {
      if (stepOutcome === 'ok') stepOutcome = 'failed';
    }
    r.say({ kind: 'step-end', index: i, outcome: stepOutcome, message });
    if (fatal) throw fatal;
    return { stepOutcome, message };
  }

  /** The step's expectations, judged once the observers caught up; true when all held. */
  private async judge(i: number, step: Step): Promise<boolean> {
    const r = this.r;
    await this.settle(step.expect.some((x) => 'oomKilled' in x || 'notOomKilled' in x || 'oomKills' in x));
    // The drop after a kill can take a few ticks on a slow host: give afterKill its window before judging.
    const afterKill = step.expect.filter((x) => 'afterKill' in x);
    if (afterKill.length) await r.gate.until(() => (afterKill.every((x) => evaluateExpectation(x, r.events).passed) ? true : null), AFTER_KILL_WINDOW_MS, () => '').catch(ignoreTimeout);
    let all = true;
    for (const x of step.expect) {
      const v = evaluateExpectation(x, r.events);
      this.verdicts.push({ ...v, step: i });
      r.say({ kind: 'expectation', step: i, text: v.text, passed: v.passed, observed: v.observed });
      all &&= v.passed;
    }
    return all;
  }

  /**
   * Before judging a step, let the observers catch up: one more sample, and
   * kernel reports for kills the counters or workload exits already show.
   */
  private async settle(needReports: boolean): Promise<void> {
    const { gate, events } = this.r;
    const sampler = this.r.sampler;
    if (!sampler) return;
    const before = sampler.count;
    await gate.until(() => (sampler.count > before ? true : null), 3000, () => '').catch(ignoreTimeout);
    if (!needReports) return;
    const reportsCaughtUp = () => {
      const reports = events.filter((e) => e.kind === 'oom-kill').length;
      const counter = sampler.latest()?.oomKills ?? 0;
      const exits = events.filter((e) => e.kind === 'workload-exit' && e.oomKilled).length;
      return reports >= Math.max(counter, exits) ? true : null;
    };
    await gate.until(reportsCaughtUp, 5000, () => '').catch(ignoreTimeout);
  }

  private async cleanup(): Promise<void> {
    const r = this.r;
    r.settleKills();
    const problems: string[] = [];
    const attempt = async (what: string, f: () => Promise<unknown>, ms: number) => {
      try {
        await withDeadline(f(), ms, what);
      } catch (e) {
        problems.push(`${what}: ${(e as Error).message}`);
      }
    };
    const { target, sampler } = r;
    const follower = this.follower;
    if (!r.linkLost) {
      // A v1 frozen task ignores SIGKILL until thawed: stopping a paused run thaws it first.
      if (this.control.paused) await attempt('thawing the target', () => this.control.resume(), 30_000);
      await Promise.all([...r.workloads].map(([name, h]) => attempt(`stopping ${name}`, () => h.stop(), STOP_TIMEOUT_MS)));
      if (sampler) await attempt('stopping the sampler', () => sampler.stop(), 10_000);
      if (follower) await attempt('stopping the kernel-log follower', () => follower.stop(), 10_000);
      if (target && r.targetCreated) {
        await attempt(`removing ${target.path}`, () => target.destroy(), 60_000);
        if (!problems.length) r.action(`removed ${target.path}`);
      }
    } else if (target && r.targetCreated) {
      // The host killed our workloads when the channels closed; the cgroup is
      // still there. Reconnect to remove it, else the next connect sweeps it.
      await this.cleanupAfterDrop(target.path, problems);
    }
    for (const p of problems) if (r.clock) r.say({ kind: 'error', message: `cleanup: ${p}` });
    if (problems.length) this.cleanupFailed = true;
  }

  private async cleanupAfterDrop(path: string, problems: string[]): Promise<void> {
    if (!this.o.reconnect) {
      problems.push(`the connection dropped; ${path} remains until the next connect or \`oomlab cleanup\``);
      return;
    }
    let t: Transport | null = null;
    try {
      t = await withDeadline(this.o.reconnect(), 60_000, 'reconnecting');
      await withDeadline(createTarget(t, this.o.facts, this.spec).destroy(), 60_000, `removing ${path}`);
      this.r.action(`reconnected and removed ${path}`);
    } catch (e) {
      problems.push(`${(e as Error).message}; ${path} remains until the next connect or \`oomlab cleanup\``);
    } finally {
      await t?.close().catch(() => {});
    }
  }
}
