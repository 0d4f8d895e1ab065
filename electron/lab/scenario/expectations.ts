// Pure evaluation of expectations and wait conditions over the events of a
// run. The runner calls these; tests feed them event lists directly.

import type { EventOf, LabEvent } from '../events';
import type { Expectation, WaitAction } from './schema';
import { describeEvidence, evaluateEvidence, isEvidenceExpectation } from './evidence';
import { byteBounds, describeBounds, describeByteBounds, describeExit, describeKill, exitOf, lastLimit, meets, METRIC, oomKillsOf, secs, targetSamples, type Bounds, type Verdict } from './judging';
import { formatBytes } from './units';

export function describeExpectation(e: Expectation): string {
  if (isEvidenceExpectation(e)) return describeEvidence(e);
  if ('oomKilled' in e) return `${e.oomKilled} was OOM-killed`;
  if ('notOomKilled' in e) return `${e.notOomKilled} was not OOM-killed`;
  if ('exited' in e) {
    const parts = [e.exited.code !== undefined ? `code ${e.exited.code}` : null, e.exited.signal !== undefined ? `signal ${e.exited.signal}` : null].filter(Boolean);
    return `${e.exited.workload} exited with ${parts.join(' and ')}`;
  }
  if ('container' in e) {
    const c = e.container;
    const parts = [c.oomKilled !== undefined ? `OOMKilled=${c.oomKilled}` : null, c.exitCode !== undefined ? `exit code ${c.exitCode}` : null, c.phase !== undefined ? `status ${c.phase}` : null];
    return `the container reports ${parts.filter(Boolean).join(', ')}`;
  }
  if ('failcnt' in e) return `failcnt ${describeBounds(e.failcnt)}`;
  if ('oomKills' in e) return `OOM kills ${typeof e.oomKills === 'number' ? `= ${e.oomKills}` : describeBounds(e.oomKills)}`;
  if ('peakWithinLimit' in e) return 'peak usage never above the limit';
  if ('usageWithinLimit' in e) return 'usage never above the limit';
  if ('underOom' in e) return e.underOom ? 'the target was under OOM (under_oom = 1)' : 'the target was never under OOM';
  const { metric, ...bounds } = e.max;
  return `highest ${METRIC[metric]!.label} ${describeByteBounds(bounds)}`;
}

/** Evaluate one expectation over every event of the run so far. */
export function evaluateExpectation(e: Expectation, events: readonly LabEvent[]): Verdict {
  if (isEvidenceExpectation(e)) return evaluateEvidence(e, events);
  const text = describeExpectation(e);
  const v = (passed: boolean, observed: string): Verdict => ({ passed, text, observed });
  const samples = targetSamples(events);
  const allKills = events.filter((x): x is EventOf<'oom-kill'> => x.kind === 'oom-kill');

  if ('oomKilled' in e || 'notOomKilled' in e) {
    const w = 'oomKilled' in e ? e.oomKilled : e.notOomKilled;
    const kills = oomKillsOf(events, w);
    const exit = exitOf(events, w);
    const killed = kills.length > 0 || exit?.oomKilled === true;
    const observed = kills.length
      ? `killed: ${kills.map(describeKill).join('; ')}`
      : exit?.oomKilled
        ? `workload exit marked OOM-killed (${describeExit(exit)}); no kernel report matched`
        : `no OOM kill of ${w}${allKills.length ? ` (kills seen: ${allKills.map(describeKill).join('; ')})` : ''}; ${describeExit(exit)}`;
    return v('oomKilled' in e ? killed : !killed, observed);
  }

  if ('exited' in e) {
    const x = exitOf(events, e.exited.workload);
    const ok = x !== undefined && (e.exited.code === undefined || x.code === e.exited.code) && (e.exited.signal === undefined || x.signal === e.exited.signal);
    return v(ok, describeExit(x));
  }

  if ('container' in e) {
    const st = events.filter((x): x is EventOf<'status'> => x.kind === 'status' && x.subject === 'container');
    const last = st[st.length - 1];
    if (!last) return v(false, 'no container status was read (not a docker target, or no workload ended)');
    const c = e.container;
    const ok = (c.oomKilled === undefined || last.oomKilled === c.oomKilled) && (c.exitCode === undefined || last.exitCode === c.exitCode) && (c.phase === undefined || last.phase === c.phase);
    return v(ok, `${last.name}: status ${last.phase}, OOMKilled=${last.oomKilled}, exit code ${last.exitCode ?? 'none'}, restarts ${last.restartCount ?? 0} at ${secs(last.t)}`);
  }

  if (samples.length === 0 && !('oomKills' in e)) return v(false, 'no samples of the target were received');

  if ('failcnt' in e) {
    const f = Math.max(...samples.map((s) => s.failcnt));
    return v(meets(f, e.failcnt), `failcnt ${f}`);
  }

  if ('oomKills' in e) {
    const bounds: Bounds = typeof e.oomKills === 'number' ? { equals: e.oomKills } : e.oomKills;
    const counters = samples.map((s) => s.oomKills).filter((n): n is number => n !== null);
    const reports = allKills.length;
    if (counters.length) {
      const n = Math.max(...counters);
      return v(meets(n, bounds), `oom_kill counter ${n}; ${reports} kernel report${reports === 1 ? '' : 's'}`);
    }
    return v(meets(reports, bounds), `${reports} kernel report${reports === 1 ? '' : 's'} (the kernel has no oom_kill counter)`);
  }

  if ('peakWithinLimit' in e) {
    const limit = lastLimit(samples);
    if (limit === null) return v(false, 'the target has no limit');
    const peaks = samples.map((s) => s.peakBytes ?? s.usageBytes);
    const peak = Math.max(...peaks);
    const source = samples.some((s) => s.peakBytes !== null) ? 'peak' : 'highest usage sampled (no peak counter)';
    return v(peak <= limit, `${source} ${formatBytes(peak)} (${peak} B), limit ${formatBytes(limit)} (${limit} B)`);
  }

  if ('usageWithinLimit' in e) {
    const over = samples.filter((s) => s.limitBytes !== null && s.usageBytes > s.limitBytes);
    const max = samples.reduce((a, s) => (s.usageBytes > a.usageBytes ? s : a));
    if (over.length) return v(false, `${over.length} of ${samples.length} samples above the limit, first at ${secs(over[0]!.t)}: ${over[0]!.usageBytes} B > ${over[0]!.limitBytes} B`);
    return v(true, `highest usage ${formatBytes(max.usageBytes)} (${max.usageBytes} B) at ${secs(max.t)}, limit ${formatBytes(max.limitBytes)} over ${samples.length} samples`);
  }

  if ('underOom' in e) {
    const known = samples.filter((s) => s.underOom !== null);
    if (known.length === 0) return v(false, 'the kernel reports no under_oom (cgroup v2)');
    const first = known.find((s) => s.underOom);
    return v(e.underOom === (first !== undefined), first ? `under_oom = 1 first at ${secs(first.t)}` : `under_oom stayed 0 over ${known.length} samples`);
  }

  const { metric, ...c } = e.max;
  const get = METRIC[metric]!.get;
  const values = samples.map(get).filter((n): n is number => n !== null);
  if (values.length === 0) return v(false, `the kernel reports no ${METRIC[metric]!.label}`);
  const bounds = byteBounds(c, lastLimit(samples));
  if (typeof bounds === 'string') return v(false, bounds);
  const max = Math.max(...values);
  return v(meets(max, bounds), `highest ${METRIC[metric]!.label} ${formatBytes(max)} (${max} B)`);
}

// ---------------------------------------------------------------- waits

export interface WaitState {
  /** Every event of the run. */
  events: readonly LabEvent[];
  /** Index into events where the current step began: "an OOM kill" means one in this step. */
  stepStart: number;
}

/** The condition of a wait, in words. */
export function describeWait(w: WaitAction): string {
  for (const m of ['usage', 'workingSet', 'cache', 'rss'] as const) {
    const c = w[m];
    if (c) return `${METRIC[m]!.label} ${describeByteBounds(c)}`;
  }
  if (w.oomKill !== undefined) return w.oomKill === 'any' ? 'an OOM kill' : `an OOM kill of ${w.oomKill}`;
  if (w.exited !== undefined) return `${w.exited} to exit`;
  if (w.underOom !== undefined) return w.underOom ? 'under_oom = 1' : 'under_oom = 0';
  if (w.failcnt) return `failcnt ${describeBounds(w.failcnt)}`;
  if (w.for !== undefined) return `${w.for} ms`;
  return 'nothing';
}

/** null while not met; otherwise what met it. `for` waits are timed by the runner. */
export function waitMet(w: WaitAction, s: WaitState): string | null {
  const samples = targetSamples(s.events);
  const last = samples[samples.length - 1];
  for (const m of ['usage', 'workingSet', 'cache', 'rss'] as const) {
    const c = w[m];
    if (!c) continue;
    if (!last) return null;
    const value = METRIC[m]!.get(last);
    const bounds = byteBounds(c, lastLimit(samples));
    if (value === null || typeof bounds === 'string') return null;
    return meets(value, bounds) ? `${METRIC[m]!.label} ${formatBytes(value)} at ${secs(last.t)}` : null;
  }
  if (w.oomKill !== undefined) {
    const kills = s.events.slice(s.stepStart).filter((e): e is EventOf<'oom-kill'> => e.kind === 'oom-kill');
    const hit = w.oomKill === 'any' ? kills[0] : oomKillsOf(s.events, w.oomKill)[0];
    if (hit) return `OOM kill: ${describeKill(hit)}`;
    // A report the kernel printed without its header names no cgroup; the workload's exit still says.
    const exit = w.oomKill === 'any' ? undefined : exitOf(s.events, w.oomKill);
    return exit?.oomKilled ? `${w.oomKill} ${describeExit(exit)}` : null;
  }
  if (w.exited !== undefined) {
    const x = exitOf(s.events, w.exited);
    return x ? `${w.exited} ${describeExit(x)}` : null;
  }
  if (w.underOom !== undefined) {
    if (!last || last.underOom === null) return null;
    return last.underOom === w.underOom ? `under_oom = ${last.underOom ? 1 : 0} at ${secs(last.t)}` : null;
  }
  if (w.failcnt) {
    if (!last) return null;
    return meets(last.failcnt, w.failcnt) ? `failcnt ${last.failcnt} at ${secs(last.t)}` : null;
  }
  return null;
}
