// Whose OOM kill is it: every rule of kill-attribution.ts on hand-made event
// sequences, plus the reports the kernel really printed for a memory.oom.group
// kill (lab VM, 6.1) and for a header-less kill (published log), parsed by the
// real parser. No host, no timers: time is a number passed in.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import type { OomKillReport } from '../../../electron/lab/kernel/report';
import { OomReportParser } from '../../../electron/lab/kernel/oom-parser';
import {
  KILL_ATTRIBUTION_MS,
  NO_KILLS,
  isHeaderless,
  nextDeadline,
  onEvent,
  onKill,
  onTime,
  settleKills,
  workloadOfReport,
  type KillBook,
  type KillDecision,
  type KillView,
} from '../../../electron/lab/scenario/kill-attribution';

const TARGET = '/oomlab/oomlab-r1';

function report(over: Partial<OomKillReport>): OomKillReport {
  return {
    pid: 1000,
    comm: 'stress',
    selectedPid: null,
    selectedScore: null,
    global: false,
    constraint: 'CONSTRAINT_MEMCG',
    memcg: TARGET,
    taskMemcg: `${TARGET}/wl-hog`,
    totalVmKb: null,
    anonRssKb: null,
    fileRssKb: null,
    shmemRssKb: null,
    uid: 0,
    pgtablesKb: null,
    oomScoreAdj: 0,
    invoker: null,
    memcgUsage: null,
    memcgStats: null,
    tasks: [],
    reaped: null,
    groupKill: false,
    containerId: null,
    podUid: null,
    qosClass: null,
    time: { uptimeSec: null, wall: null },
    lines: [],
    ...over,
  };
}

function kill(over: Partial<OomKillReport>, workload: string | null = null, t = 100): EventOf<'oom-kill'> {
  return { kind: 'oom-kill', t, report: report(over), workload };
}

function view(over: Partial<KillView> = {}, handles: Record<number, string> = {}): KillView {
  return { targetPath: TARGET, targetId: 'target', handleOf: (pid) => handles[pid] ?? null, counter: null, now: 0, ...over };
}

/** The decisions as [pid, workload] for ours and [pid, why] for foreign. */
function said(ds: KillDecision[]): Array<['ours', number, string | null] | ['foreign', number, string]> {
  return ds.map((d) => ('ours' in d ? ['ours', d.ours.report.pid, d.ours.workload] : ['foreign', d.foreign.report.pid, d.why]));
}

function parsed(file: string): OomKillReport[] {
  const p = new OomReportParser();
  const out: OomKillReport[] = [];
  const take = (items: ReturnType<OomReportParser['push']>) => {
    for (const r of items) if (r.pid !== null) out.push(r as OomKillReport);
  };
  for (const line of readFileSync(new URL(`../../fixtures/kmsg/${file}`, import.meta.url), 'utf8').split('\n')) take(p.push(line));
  take(p.end());
  return out;
}

const processes = (rows: Array<[number, string | null]>, cgroup = 'target'): LabEvent => ({
  kind: 'processes',
  t: 0,
  cgroup,
  processes: rows.map(([pid, workload]) => ({ pid, comm: 'stress', rssKb: 0, oomScore: 0, oomScoreAdj: 0, workload })),
});
const sample = (oomKills: number | null): LabEvent => ({ kind: 'sample', t: 0, cgroup: 'target', oomKills } as unknown as LabEvent);

describe('a report inside the target', () => {
  it('is ours at once when the follower named the workload, and its pid is remembered', () => {
    const s = onKill(NO_KILLS, view(), kill({ pid: 1000 }, 'hog'));
    expect(said(s.decisions)).toEqual([['ours', 1000, 'hog']]);
    expect(s.book.ours).toBe(1);
    expect(s.book.seen.get(1000)).toBe('hog');
    expect(nextDeadline(s.book)).toBeNull();
  });

  it('is ours when only its pid says whose it is (a handle knows it), whatever cgroup it names', () => {
    const s = onKill(NO_KILLS, view({}, { 1000: 'hog' }), kill({ memcg: 'unknown', taskMemcg: null }));
    expect(said(s.decisions)).toEqual([['ours', 1000, 'hog']]);
  });

  it('counts the target itself and anything below it as inside, not a sibling with the same prefix', () => {
    expect(said(onKill(NO_KILLS, view({}, { 7: 'a' }), kill({ pid: 7, memcg: TARGET, taskMemcg: TARGET })).decisions)).toEqual([['ours', 7, 'a']]);
    expect(said(onKill(NO_KILLS, view(), kill({ pid: 7, memcg: `${TARGET}0`, taskMemcg: `${TARGET}0/wl-x` })).decisions)).toEqual([['foreign', 7, '']]);
  });
});

describe('pids not yet placed in the target', () => {
  const unplaced = () => onKill(NO_KILLS, view({ now: 1000 }), kill({ pid: 2001, taskMemcg: TARGET }));

  it('is held, not decided, until something places the pid', () => {
    const s = unplaced();
    expect(s.decisions).toEqual([]);
    expect(s.book.unplaced).toHaveLength(1);
    expect(nextDeadline(s.book)).toBe(1000 + KILL_ATTRIBUTION_MS);
  });

  it("becomes the workload's once the target's process list shows the pid", () => {
    const other = onEvent(unplaced().book, view({ now: 1100 }), processes([[2001, 'hog']], 'pod'));
    expect(other.decisions).toEqual([]); // another series' list places nothing
    const s = onEvent(other.book, view({ now: 1200 }), processes([[2001, 'hog']]));
    expect(said(s.decisions)).toEqual([['ours', 2001, 'hog']]);
    expect(s.book.unplaced).toEqual([]);
    expect(s.book.ours).toBe(1);
  });

  it("becomes the workload's when its start marker (or an output line) lets a handle claim the pid", () => {
    const start: LabEvent = { kind: 'workload-start', t: 0, workload: 'w2', pid: 2001, argv: [], cgroup: TARGET, verifiedMember: true, note: null };
    expect(said(onEvent(unplaced().book, view({}, { 2001: 'w2' }), start).decisions)).toEqual([['ours', 2001, 'w2']]);
    const out: LabEvent = { kind: 'workload-output', t: 0, workload: 'w2', fd: 'stdout', line: 'stress: dbug: [2001] forked' };
    expect(said(onEvent(unplaced().book, view({}, { 2001: 'w2' }), out).decisions)).toEqual([['ours', 2001, 'w2']]);
  });

  it('is ours without a workload when nothing places it within the window', () => {
    const early = onTime(unplaced().book, view({ now: 1000 + KILL_ATTRIBUTION_MS - 1 }));
    expect(early.decisions).toEqual([]);
    const late = onTime(early.book, view({ now: 1000 + KILL_ATTRIBUTION_MS }));
    expect(said(late.decisions)).toEqual([['ours', 2001, null]]);
    expect(nextDeadline(late.book)).toBeNull();
  });
});

describe('header-less kills (the kernel rate-limits the report header)', () => {
  const [real] = parsed('pub-reportportal-203-5.4-memcg.log');

  it('the parser marks such a kill as naming no cgroup', () => {
    expect(real).toMatchObject({ pid: 63214, memcg: 'unknown', taskMemcg: null, headerMissing: true });
    expect(isHeaderless(real!)).toBe(true);
    expect(isHeaderless(report({}))).toBe(false);
  });

  it("is ours at once while the target's oom_kill counter is ahead of the kills counted", () => {
    const s = onKill(NO_KILLS, view({ counter: 1 }), { kind: 'oom-kill', t: 5, report: real!, workload: null });
    expect(said(s.decisions)).toEqual([['ours', 63214, null]]);
  });

  it('waits for the counter: a later sample that shows the kill makes it ours, one kill per count', () => {
    let b: KillBook = { ...NO_KILLS, ours: 2 };
    for (const pid of [31, 32]) b = onKill(b, view({ counter: 2 }), kill({ pid, memcg: 'unknown', taskMemcg: null })).book;
    expect(b.headerless).toHaveLength(2);
    const s = onEvent(b, view({ counter: 3 }), sample(3));
    expect(said(s.decisions)).toEqual([['ours', 31, null]]);
    expect(s.book.headerless.map((h) => h.ev.report.pid)).toEqual([32]);
  });

  it("is someone else's when the counter did not move within the window", () => {
    const b = onKill(NO_KILLS, view({ counter: 0, now: 0 }), kill({ pid: 31, memcg: '', taskMemcg: null })).book;
    expect(onTime(b, view({ counter: 0, now: KILL_ATTRIBUTION_MS - 1 })).decisions).toEqual([]);
    const s = onTime(b, view({ counter: 0, now: KILL_ATTRIBUTION_MS }));
    expect(said(s.decisions)).toEqual([['foreign', 31, " (the report names no cgroup, and this run's oom_kill counter did not move)"]]);
    expect(s.book.headerless).toEqual([]);
  });

  it('without a counter (no sample yet) it is held, never taken', () => {
    const s = onKill(NO_KILLS, view({ counter: null }), kill({ pid: 31, memcg: 'unknown', taskMemcg: null }));
    expect(s.decisions).toEqual([]);
  });
});

describe('group kills (v2 memory.oom.group)', () => {
  // Lab VM, 6.1: stress --vm 2 in /oomlab-fixture-8128b159 with memory.oom.group 1.
  const [first, ...members] = parsed('labvm-6.1-oom-group.raw.log');
  const group = '/oomlab-fixture-8128b159';

  it('the real log gives the victim, then the rest of the group marked as a group kill', () => {
    expect([first, ...members].map((r) => [r!.pid, r!.groupKill])).toEqual([
      [400, false],
      [399, true],
      [401, true],
    ]);
  });

  it("a member's printed cgroup is the first victim's: only its pid names the workload", () => {
    const ofCgroup = (p: string | null) => (p === `${TARGET}/wl-a` ? 'a' : null);
    const ofPid = (pid: number) => ({ 11: 'a', 12: 'b' })[pid] ?? null;
    expect(workloadOfReport(report({ pid: 12, taskMemcg: `${TARGET}/wl-a`, groupKill: true }), ofCgroup, ofPid)).toBe('b');
    expect(workloadOfReport(report({ pid: 12, taskMemcg: `${TARGET}/wl-a`, groupKill: false }), ofCgroup, ofPid)).toBe('a');
    expect(workloadOfReport(report({ pid: 99, taskMemcg: `${TARGET}/wl-c`, groupKill: false }), ofCgroup, ofPid)).toBeNull();
  });

  it('every kill of the group is ours; members no list placed yet wait, then are ours without a workload', () => {
    const v = (now: number, handles: Record<number, string> = { 400: 'hog' }) => view({ targetPath: group, now }, handles);
    let s = onKill(NO_KILLS, v(0), { kind: 'oom-kill', t: 1, report: first!, workload: null });
    expect(said(s.decisions)).toEqual([['ours', 400, 'hog']]);
    for (const r of members) s = onKill(s.book, v(10), { kind: 'oom-kill', t: 2, report: r, workload: null });
    expect(s.book.unplaced.map((u) => u.ev.report.pid)).toEqual([399, 401]);
    s = onEvent(s.book, v(20), processes([[401, 'hog']]));
    expect(said(s.decisions)).toEqual([['ours', 401, 'hog']]);
    s = onTime(s.book, v(10 + KILL_ATTRIBUTION_MS));
    expect(said(s.decisions)).toEqual([['ours', 399, null]]);
    expect(s.book.ours).toBe(3);
  });

  it('the first victim printed again without its cgroup is known by the pid an accepted kill left behind', () => {
    const b = onKill(NO_KILLS, view(), kill({ pid: 400 }, 'hog')).book;
    const again = onKill(b, view(), kill({ pid: 400, memcg: 'unknown', taskMemcg: null, groupKill: true }));
    expect(said(again.decisions)).toEqual([['ours', 400, 'hog']]);
  });
});

describe('kills outside the target', () => {
  it("a report naming another cgroup is someone else's at once, with no reason appended", () => {
    const s = onKill(NO_KILLS, view({ counter: 5 }), kill({ pid: 77, memcg: '/oomlab/oomlab-other', taskMemcg: '/oomlab/oomlab-other/wl-x' }));
    expect(said(s.decisions)).toEqual([['foreign', 77, '']]);
    expect(s.book.ours).toBe(0);
  });

  it("before the target exists, a report with a cgroup is someone else's", () => {
    expect(said(onKill(NO_KILLS, view({ targetPath: null, targetId: null }), kill({ pid: 5 })).decisions)).toEqual([['foreign', 5, '']]);
  });

  it('a global kill of a process of ours is ours (the pid says so)', () => {
    const s = onKill(NO_KILLS, view({}, { 8: 'hog' }), kill({ pid: 8, global: true, memcg: 'global', taskMemcg: '/user.slice' }));
    expect(said(s.decisions)).toEqual([['ours', 8, 'hog']]);
  });
});

describe('the end of the run', () => {
  it('decides every held kill: unplaced ones are ours, header-less ones ours while the counter allows, the rest foreign', () => {
    let b = onKill(NO_KILLS, view(), kill({ pid: 1, taskMemcg: TARGET })).book;
    b = onKill(b, view({ counter: 0 }), kill({ pid: 2, memcg: 'unknown', taskMemcg: null })).book;
    b = onKill(b, view({ counter: 0 }), kill({ pid: 3, memcg: 'unknown', taskMemcg: null })).book;
    const s = settleKills(b, view({ counter: 2 }));
    expect(said(s.decisions)).toEqual([
      ['ours', 1, null],
      ['ours', 2, null],
      ['foreign', 3, " (the report names no cgroup, and this run's oom_kill counter did not move)"],
    ]);
    expect(nextDeadline(s.book)).toBeNull();
  });
});
