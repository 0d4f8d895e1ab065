// Expectations that look at the evidence around an OOM kill: one sample that
// shows a state (usage at the limit while the working set is low), the samples
// just before and after the kill, the kernel's own report of the victim, the
// survivors, and what `inspect` / `trace` read on the host. Pure, like
// expectations.ts, which hands these kinds over to evaluateEvidence().

import type { EventOf, HostReading, LabEvent } from '../events';
import type { OomKillReport, OomTask } from '../kernel/report';
import type { Expectation, SampleBounds } from './schema';
import { byteBounds, describeBounds, describeByteBounds, describeKill, describeExit, lastLimit, meets, METRIC, secs, targetSamples, type Verdict } from './judging';
import { formatBytes } from './units';

type Sample = EventOf<'sample'>;
type Kill = EventOf<'oom-kill'>;

const KEYS = ['seen', 'beforeKill', 'afterKill', 'victim', 'running', 'stopped', 'memoryOf', 'traced', 'kernelLog'] as const;
type Key = (typeof KEYS)[number];
export type EvidenceExpectation = Extract<Expectation, { [K in Key]: Record<K, unknown> }[Key]>;

export function isEvidenceExpectation(e: Expectation): e is EvidenceExpectation {
  return KEYS.some((k) => k in e);
}

/** How long after a kill `afterKill` looks for a sample that shows its effect (a slow host frees the victim's memory later). */
export const AFTER_KILL_WINDOW_MS = 2000;

// ---------------------------------------------------------------- samples

const BYTE_KEYS = ['usage', 'workingSet', 'cache', 'rss'] as const;

export function describeSampleBounds(b: SampleBounds): string {
  const parts: string[] = [];
  for (const k of BYTE_KEYS) if (b[k]) parts.push(`${METRIC[k]!.label} ${describeByteBounds(b[k]!)}`);
  if (b.failcnt) parts.push(`failcnt ${describeBounds(b.failcnt)}`);
  if (b.oomKills) parts.push(`oom_kill ${describeBounds(b.oomKills)}`);
  if (b.highEvents) parts.push(`memory.high events ${describeBounds(b.highEvents)}`);
  if (b.underOom !== undefined) parts.push(`under_oom = ${b.underOom ? 1 : 0}`);
  return parts.join(', ');
}

/** null when the sample meets every bound; else why not (or that it cannot be known). */
function sampleMisses(s: Sample, b: SampleBounds, limit: number | null): string | null {
  for (const k of BYTE_KEYS) {
    const c = b[k];
    if (!c) continue;
    const value = METRIC[k]!.get(s);
    const bounds = byteBounds(c, limit);
    if (typeof bounds === 'string') return bounds;
    if (value === null) return `the kernel reports no ${METRIC[k]!.label}`;
    if (!meets(value, bounds)) return `${METRIC[k]!.label} ${formatBytes(value)}`;
  }
  if (b.failcnt && !meets(s.failcnt, b.failcnt)) return `failcnt ${s.failcnt}`;
  if (b.oomKills) {
    if (s.oomKills === null) return 'the kernel has no oom_kill counter';
    if (!meets(s.oomKills, b.oomKills)) return `oom_kill ${s.oomKills}`;
  }
  if (b.highEvents) {
    if (s.highEvents === null) return 'no memory.high events (cgroup v1)';
    if (!meets(s.highEvents, b.highEvents)) return `memory.high events ${s.highEvents}`;
  }
  if (b.underOom !== undefined) {
    if (s.underOom === null) return 'no under_oom (cgroup v2)';
    if (s.underOom !== b.underOom) return `under_oom = ${s.underOom ? 1 : 0}`;
  }
  return null;
}

function describeSample(s: Sample): string {
  const parts = [
    `usage ${formatBytes(s.usageBytes)}`,
    `working set ${formatBytes(s.workingSetBytes)}`,
    `cache ${formatBytes(s.cacheBytes)}`,
    `rss ${formatBytes(s.rssBytes)}`,
    `failcnt ${s.failcnt}`,
  ];
  if (s.oomKills !== null) parts.push(`oom_kill ${s.oomKills}`);
  if (s.highEvents !== null) parts.push(`memory.high events ${s.highEvents}`);
  if (s.underOom !== null) parts.push(`under_oom ${s.underOom ? 1 : 0}`);
  return `${parts.join(', ')} at ${secs(s.t)}`;
}

/**
 * The samples before and after the last kill. The kernel's oom_kill counter
 * decides which side a sample is on (the report's timestamp and the sampler's
 * clock can differ by a tick); without a counter, the times do.
 */
function aroundLastKill(events: readonly LabEvent[], samples: readonly Sample[]): { kill: Kill; before: Sample[]; after: Sample[] } | null {
  const kills = events.filter((e): e is Kill => e.kind === 'oom-kill');
  const kill = kills[kills.length - 1];
  if (!kill) return null;
  const n = kills.length;
  const counted = samples.some((s) => s.oomKills !== null);
  const isAfter = (s: Sample) => (counted && s.oomKills !== null ? s.oomKills >= n : s.t > kill.t);
  const firstAfter = samples.findIndex(isAfter);
  if (firstAfter < 0) return { kill, before: [...samples], after: [] };
  return { kill, before: samples.slice(0, firstAfter), after: samples.slice(firstAfter) };
}

// ---------------------------------------------------------------- the victim

function runStartOf(events: readonly LabEvent[]): EventOf<'run-start'> | undefined {
  return events.find((e): e is EventOf<'run-start'> => e.kind === 'run-start');
}

function victimTask(r: OomKillReport): OomTask | undefined {
  return r.tasks.find((t) => t.pid === r.pid) ?? r.tasks.find((t) => t.tgid === r.pid);
}

/**
 * The kernel's badness (mm/oom_kill.c oom_badness): resident pages + swap
 * entries + page-table pages, plus oom_score_adj x (the limit in pages / 1000);
 * -1000 is never chosen. Computed from the report's own task table.
 */
export function badness(t: OomTask, pageSize: number, totalPages: number): number | null {
  if (t.oomScoreAdj === -1000) return null;
  if (t.rssPages === null) return null;
  const pt = t.pgtablesBytes !== null ? Math.floor(t.pgtablesBytes / pageSize) : (t.nrPtes ?? 0);
  return t.rssPages + (t.swapentsPages ?? 0) + pt + t.oomScoreAdj * Math.floor(totalPages / 1000);
}

function victimVerdict(e: Extract<EvidenceExpectation, { victim: unknown }>['victim'], events: readonly LabEvent[], v: (passed: boolean, observed: string) => Verdict): Verdict {
  const kills = events.filter((x): x is Kill => x.kind === 'oom-kill' && (e.workload === undefined || x.workload === e.workload));
  const k = kills[kills.length - 1];
  if (!k) return v(false, `no OOM kill${e.workload ? ` of ${e.workload}` : ''} was reported`);
  const r = k.report;
  const pageSize = runStartOf(events)?.host.pageSize || 4096;
  const task = victimTask(r);
  const limit = lastLimit(targetSamples(events)) ?? (r.memcgUsage ? r.memcgUsage.limitKb * 1024 : null);
  const fails: string[] = [];
  const said: string[] = [`${describeKill(k)}`];

  if (e.oomScoreAdj !== undefined) {
    const adj = r.oomScoreAdj ?? task?.oomScoreAdj ?? null;
    said.push(`oom_score_adj ${adj ?? 'not in the report'}`);
    if (adj !== e.oomScoreAdj) fails.push('oom_score_adj');
  }
  if (e.rss) {
    const rss = task?.rssAnonPages != null ? { bytes: task.rssAnonPages * pageSize, how: `rss_anon ${task.rssAnonPages} pages × ${pageSize} B` } : r.anonRssKb !== null ? { bytes: r.anonRssKb * 1024, how: `anon-rss ${r.anonRssKb} kB` } : null;
    if (!rss) {
      said.push('the report gives no resident size');
      fails.push('rss');
    } else {
      const share = limit ? ` (${((rss.bytes / limit) * 100).toFixed(1)}% of the limit ${formatBytes(limit)})` : '';
      said.push(`${rss.how} = ${formatBytes(rss.bytes)}${share}`);
      const bounds = byteBounds(e.rss, limit);
      if (typeof bounds === 'string') fails.push(bounds);
      else if (!meets(rss.bytes, bounds)) fails.push('rss');
    }
  }
  if (e.largestRss !== undefined || e.highestBadness) {
    if (!task || r.tasks.length === 0) {
      said.push("the report has no task table (its header was rate-limited or cut)");
      fails.push('task table');
    } else {
      if (e.largestRss !== undefined) {
        const others = r.tasks.filter((t) => t !== task && t.rssPages !== null);
        const top = others.reduce<OomTask | null>((a, t) => (a === null || t.rssPages! > a.rssPages! ? t : a), null);
        const largest = top === null || (task.rssPages ?? 0) >= top.rssPages!;
        said.push(`rss ${task.rssPages} pages${top ? ` vs the largest other, ${top.name} (pid ${top.pid}), ${top.rssPages}` : ''}`);
        if (largest !== e.largestRss) fails.push('largestRss');
      }
      if (e.highestBadness) {
        const totalPages = r.memcgUsage ? Math.floor((r.memcgUsage.limitKb * 1024) / pageSize) : limit ? Math.floor(limit / pageSize) : 0;
        const scored = r.tasks.map((t) => ({ t, points: badness(t, pageSize, totalPages) })).filter((x): x is { t: OomTask; points: number } => x.points !== null);
        scored.sort((a, b) => b.points - a.points);
        const mine = badness(task, pageSize, totalPages);
        said.push(`badness: ${scored.slice(0, 3).map((x) => `${x.t.name} (pid ${x.t.pid}, adj ${x.t.oomScoreAdj}) ${x.points}`).join(', ')}`);
        if (mine === null || scored.length === 0 || mine < scored[0]!.points) fails.push('highestBadness');
      }
    }
  }
  if (e.mainProcess !== undefined) {
    const start = events.find((x): x is EventOf<'workload-start'> => x.kind === 'workload-start' && x.workload === k.workload);
    if (!start) {
      said.push('its workload never started');
      fails.push('mainProcess');
    } else {
      const main = start.pid === r.pid;
      said.push(main ? `the workload's first process (pid ${start.pid})` : `a child, not the workload's first process (pid ${start.pid})`);
      if (main !== e.mainProcess) fails.push('mainProcess');
    }
  }
  return v(fails.length === 0, said.join('; '));
}

function describeVictim(e: Extract<EvidenceExpectation, { victim: unknown }>['victim']): string {
  const parts: string[] = [];
  if (e.oomScoreAdj !== undefined) parts.push(`had oom_score_adj ${e.oomScoreAdj}`);
  if (e.rss) parts.push(`held anonymous memory ${describeByteBounds(e.rss)}`);
  if (e.largestRss !== undefined) parts.push(e.largestRss ? 'was the largest process' : 'was not the largest process');
  if (e.highestBadness) parts.push("had the highest badness in the kernel's table");
  if (e.mainProcess !== undefined) parts.push(e.mainProcess ? "was the workload's first process" : "was a child, not the workload's first process");
  return `the OOM victim${e.workload ? ` of ${e.workload}` : ''} ${parts.join(', ')}`;
}

// ---------------------------------------------------------------- host readings

function lastReading<W extends HostReading['what']>(events: readonly LabEvent[], what: W, pick: (r: Extract<HostReading, { what: W }>) => boolean = () => true): Extract<HostReading, { what: W }> | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind === 'action' && e.read?.what === what && pick(e.read as Extract<HostReading, { what: W }>)) return e.read as Extract<HostReading, { what: W }>;
  }
  return null;
}

function safeRegExp(source: string): RegExp | string {
  try {
    return new RegExp(source);
  } catch (err) {
    return `not a valid regular expression: ${(err as Error).message}`;
  }
}

// ---------------------------------------------------------------- evaluation

export function evaluateEvidence(e: EvidenceExpectation, events: readonly LabEvent[]): Verdict {
  const text = describeEvidence(e);
  const v = (passed: boolean, observed: string): Verdict => ({ passed, text, observed });
  const samples = targetSamples(events);
  const limit = lastLimit(samples);

  if ('seen' in e) {
    if (samples.length === 0) return v(false, 'no samples of the target were received');
    let why: string | null = null;
    for (const s of samples) {
      const miss = sampleMisses(s, e.seen, limit);
      if (miss === null) return v(true, describeSample(s));
      why ??= miss;
    }
    const top = samples.reduce((a, s) => (s.usageBytes > a.usageBytes ? s : a));
    return v(false, `none of ${samples.length} samples (first: ${why}); at the highest usage: ${describeSample(top)}`);
  }

  if ('beforeKill' in e || 'afterKill' in e) {
    const around = aroundLastKill(events, samples);
    if (!around) return v(false, 'no OOM kill was reported');
    if ('beforeKill' in e) {
      const s = around.before[around.before.length - 1];
      if (!s) return v(false, `no sample before the kill at ${secs(around.kill.t)}`);
      const miss = sampleMisses(s, e.beforeKill, limit);
      return v(miss === null, `${describeSample(s)}, kill at ${secs(around.kill.t)}`);
    }
    const first = around.after[0];
    if (!first) return v(false, `no sample after the kill at ${secs(around.kill.t)}: the run stopped watching before the counters showed it`);
    const window = around.after.filter((s) => s.t <= first.t + AFTER_KILL_WINDOW_MS);
    const hit = window.find((s) => sampleMisses(s, e.afterKill, limit) === null);
    if (hit) return v(true, `${describeSample(hit)}, kill at ${secs(around.kill.t)}`);
    return v(false, `${window.length} sample${window.length === 1 ? '' : 's'} within ${AFTER_KILL_WINDOW_MS / 1000} s after the kill at ${secs(around.kill.t)}, none matching; first: ${describeSample(first)}`);
  }

  if ('victim' in e) return victimVerdict(e.victim, events, v);

  if ('running' in e || 'stopped' in e) {
    const w = 'running' in e ? e.running : e.stopped;
    const start = events.find((x): x is EventOf<'workload-start'> => x.kind === 'workload-start' && x.workload === w);
    if (!start) return v(false, `${w} never started`);
    const exit = events.find((x): x is EventOf<'workload-exit'> => x.kind === 'workload-exit' && x.workload === w);
    const killedMain = events.find((x): x is Kill => x.kind === 'oom-kill' && x.report.pid === start.pid);
    if ('running' in e) {
      if (exit) return v(false, `${w} (pid ${start.pid}) ${describeExit(exit)}`);
      const kills = events.filter((x): x is Kill => x.kind === 'oom-kill');
      const since = kills.length ? kills[kills.length - 1]!.t : start.t;
      const seen = events.find((x): x is EventOf<'processes'> => x.kind === 'processes' && x.cgroup === 'target' && x.t > since && x.processes.some((p) => p.pid === start.pid));
      if (!seen) return v(false, `pid ${start.pid} was not listed in the cgroup after ${kills.length ? `the kill at ${secs(since)}` : 'it started'}`);
      const row = seen.processes.find((p) => p.pid === start.pid)!;
      return v(true, `pid ${start.pid} (${row.comm}) still in the cgroup at ${secs(seen.t)}${kills.length ? `, after the kill at ${secs(since)}` : ''}`);
    }
    if (!exit) return v(false, `${w} is still running`);
    // Order, not time: the exit's t is the host's clock, the stop's the engine's estimate of it.
    const stopAt = events.findIndex((x) => x.kind === 'action' && x.text === `stop ${w}`);
    const stop = stopAt >= 0 ? events[stopAt]! : null;
    if (killedMain) return v(false, `its first process, pid ${start.pid}, was OOM-killed at ${secs(killedMain.t)}`);
    if (!stop || stopAt > events.indexOf(exit)) return v(false, `${w} ${describeExit(exit)}${stop ? ` before the lab stopped it at ${secs(stop.t)}` : ' without a stop by the lab'}`);
    return v(true, `the lab stopped ${w} at ${secs(stop.t)}; ${describeExit(exit)}`);
  }

  if ('memoryOf' in e) {
    const r = lastReading(events, 'inspect', (x) => x.workload === e.memoryOf.workload);
    if (!r) return v(false, `${e.memoryOf.workload} was never inspected`);
    if (r.processes.length === 0) return v(false, `inspecting ${e.memoryOf.workload} found no processes`);
    const virt = r.processes.reduce((a, p) => a + (p.vmSizeKb ?? 0) * 1024, 0);
    const res = r.processes.reduce((a, p) => a + (p.vmRssKb ?? 0) * 1024, 0);
    const said = `VmSize ${formatBytes(virt)}, VmRSS ${formatBytes(res)} over ${r.processes.length} process${r.processes.length === 1 ? '' : 'es'}`;
    for (const [c, value] of [
      [e.memoryOf.virtual, virt],
      [e.memoryOf.resident, res],
    ] as const) {
      if (!c) continue;
      const bounds = byteBounds(c, limit);
      if (typeof bounds === 'string') return v(false, bounds);
      if (!meets(value, bounds)) return v(false, said);
    }
    return v(true, said);
  }

  if ('traced' in e) {
    const r = lastReading(events, 'trace');
    if (!r) return v(false, 'no trace was made');
    const runId = runStartOf(events)?.runId ?? null;
    const said = `pid ${r.pid} (${r.comm}) → ${r.taskMemcg ?? r.memcg} → ${r.dirExists ? r.dir : `${r.dir ?? 'no directory'} (gone)`} → owner record ${r.ownerRunId ?? 'not found'} → workload ${r.workload ?? 'unknown'}; ${r.members.length} live member${r.members.length === 1 ? '' : 's'}${r.members.length ? `: ${r.members.map((m) => `${m.pid} ${(m.cmdline || m.comm).slice(0, 72)}`).join('; ')}` : ''}`;
    if (!r.dirExists || r.workload !== e.traced.workload || r.ownerRunId === null || r.ownerRunId !== runId) return v(false, said);
    if (e.traced.command !== undefined) {
      const re = safeRegExp(e.traced.command);
      if (typeof re === 'string') return v(false, re);
      if (!r.members.some((m) => re.test(m.cmdline))) return v(false, said);
    }
    return v(true, said);
  }

  const re = safeRegExp(e.kernelLog);
  if (typeof re === 'string') return v(false, re);
  const lines = events.filter((x): x is EventOf<'kernel-line'> => x.kind === 'kernel-line');
  const hit = lines.find((l) => re.test(l.raw));
  return v(hit !== undefined, hit ? `at ${secs(hit.t)}: ${hit.raw}` : `no match among ${lines.length} kernel lines`);
}

export function describeEvidence(e: EvidenceExpectation): string {
  if ('seen' in e) return `at some moment: ${describeSampleBounds(e.seen)}`;
  if ('beforeKill' in e) return `just before the OOM kill: ${describeSampleBounds(e.beforeKill)}`;
  if ('afterKill' in e) return `within ${AFTER_KILL_WINDOW_MS / 1000} s after the OOM kill: ${describeSampleBounds(e.afterKill)}`;
  if ('victim' in e) return describeVictim(e.victim);
  if ('running' in e) return `${e.running} is still running (its first process listed after the last OOM kill)`;
  if ('stopped' in e) return `${e.stopped} ended because the lab stopped it`;
  if ('memoryOf' in e) {
    const parts = [e.memoryOf.virtual ? `virtual ${describeByteBounds(e.memoryOf.virtual)}` : null, e.memoryOf.resident ? `resident ${describeByteBounds(e.memoryOf.resident)}` : null].filter(Boolean);
    return `${e.memoryOf.workload}'s memory: ${parts.join(', ')}`;
  }
  if ('traced' in e) return `the kernel's report leads to ${e.traced.workload}'s cgroup${e.traced.command ? ` and a command line matching /${e.traced.command}/` : ''}`;
  return `a kernel line matches /${e.kernelLog}/`;
}
