// The reducer on HAND-BUILT events (see hand-built-events.ts): exact view
// state, purity, and scrubbing = folding up to t.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fold, foldAll, foldUntil } from '../../../renderer/state/fold';
import { initialState, outlineFromEvents, type ViewState } from '../../../renderer/state/view-state';
import { marks, nextMark, prevMark, seek, startCursor, duration, type Checkpoints } from '../../../renderer/state/replay';
import { toArray } from '../../../renderer/state/append-list';
import { handBuiltReport, handBuiltRun, sample } from './hand-built-events';

const events = handBuiltRun();

describe('fold (hand-built run)', () => {
  const s = foldAll(events);

  it('builds the run, steps and expectations', () => {
    expect(s.run?.runId).toBe('r1');
    expect(s.end).toEqual({ t: 1800, outcome: 'passed', reason: null });
    expect(s.steps.map((x) => [x.index, x.status, x.startT, x.endT])).toEqual([
      [0, 'ok', 10, 1006],
      [1, 'ok', 1010, 1601],
    ]);
    expect(s.steps[1]!.expectations.map((e) => [e.text, e.passed])).toEqual([
      ['big was OOM killed', true],
      ['oom_kill = 1', true],
    ]);
    expect(s.count).toBe(events.length);
    expect(s.t).toBe(1800);
  });

  it('keeps every sample, in order, as chart points', () => {
    const pts = toArray(s.series.target!);
    expect(pts.length).toBe(events.filter((e) => e.kind === 'sample').length);
    expect(pts.every((p, i) => i === 0 || p.t > pts[i - 1]!.t)).toBe(true);
    expect(pts.at(-1)).toMatchObject({ t: 1510, usage: 30_000_000, failcnt: 48, oomKills: 1 });
  });

  it('links the kill to its kernel lines and keeps the victim in the process table', () => {
    expect(s.kills.length).toBe(1);
    expect(s.kills[0]).toMatchObject({ t: 1502, workload: 'big', kernelLine: 0, kernelLineEnd: 1 });
    const victim = s.processes[4243]!;
    expect(victim).toMatchObject({ alive: false, killedT: 1502, rssKb: 102400 });
    expect(s.processes[4242]).toMatchObject({ alive: false, killedT: null });
    expect(s.processes[4251]).toMatchObject({ alive: true });
    expect(s.workloads.big!.exit).toEqual({ t: 1530, code: 1, signal: null, oomKilled: true });
  });

  it('keeps kills in other cgroups of the host apart from the run\'s', () => {
    const foreign = { ...handBuiltReport, pid: 999, memcg: '/oomlab-itest-other', taskMemcg: '/oomlab-itest-other' };
    const hostWide = { ...handBuiltReport, pid: 998, memcg: 'global', taskMemcg: null, global: true };
    const sub = { ...handBuiltReport, pid: 997, memcg: '/oomlab/oomlab-r1/wl-small' };
    const after = foldAll(
      [
        { kind: 'oom-kill', t: 1700, report: foreign, workload: null },
        { kind: 'oom-kill', t: 1701, report: hostWide, workload: null },
        { kind: 'oom-kill', t: 1702, report: sub, workload: null },
      ],
      s,
    );
    expect(after.kills.map((k) => k.report.pid)).toEqual([4243, 998, 997]);
    expect(after.otherKills.map((k) => k.report.pid)).toEqual([999]);
    expect(after.processes[999]).toBeUndefined();
  });

  it('never changes what a state it was given shows', () => {
    // What an observer sees: append-only lists through their length only.
    const observe = (v: ViewState) =>
      JSON.stringify({
        ...v,
        series: Object.fromEntries(Object.entries(v.series).map(([k, l]) => [k, toArray(l)])),
        kernelLines: toArray(v.kernelLines),
        output: toArray(v.output),
        actions: toArray(v.actions),
      });
    const before = foldUntil(events, 1000);
    const snapshot = observe(before);
    fold(before, sample(1001, 1));
    foldAll(events.filter((e) => e.t > 1000), before);
    foldAll(events.filter((e) => e.t > 1000), before);
    expect(observe(before)).toBe(snapshot);
  });

  it('shows a new kind it does not know as nothing (a newer recording)', () => {
    const odd = { kind: 'from-the-future', t: 5 } as unknown as (typeof events)[number];
    const after = fold(initialState(), odd);
    expect(after.count).toBe(1);
    expect(after.steps).toEqual([]);
  });
});

describe('scrubbing', () => {
  it('state at t is the fold of the events up to t, whichever way the cursor came', () => {
    const total = duration(events);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: total }), { minLength: 1, maxLength: 12 }), (times) => {
        let c = startCursor();
        for (const t of times) {
          c = seek(events, c, t);
          const direct = foldUntil(events, t);
          expect(c.state.count).toBe(direct.count);
          expect(c.state.t).toBe(direct.t);
          expect(toArray(c.state.series.target ?? { items: [], length: 0 })).toEqual(toArray(direct.series.target ?? { items: [], length: 0 }));
          expect(c.state.kills.length).toBe(direct.kills.length);
          expect(c.state.steps).toEqual(direct.steps);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('resuming from checkpoints when scrubbing back gives the same view as folding from the start', () => {
    const long = [...Array.from({ length: 9000 }, (_, i) => sample(i * 10, i * 1000, i, 0)), { kind: 'warning' as const, t: 90_000, message: 'end' }];
    const checkpoints: Checkpoints = [];
    let c = seek(long, startCursor(), Infinity, checkpoints);
    expect(checkpoints.map((x) => x.index)).toEqual([2000, 4000, 6000, 8000]);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 90_000 }), { minLength: 1, maxLength: 8 }), (times) => {
        for (const t of times) {
          c = seek(long, c, t, checkpoints);
          const d = foldUntil(long, t);
          expect(c.state.count).toBe(d.count);
          const a = c.state.series.target!;
          const b = d.series.target!;
          expect(a.length).toBe(b.length);
          expect(a.items[a.length - 1]).toEqual(b.items[b.length - 1]);
          expect(a.items.slice(0, a.length).reduce((n, p) => n + p.usage, 0)).toBe(b.items.slice(0, b.length).reduce((n, p) => n + p.usage, 0));
        }
      }),
      { numRuns: 20 },
    );
  });

  it('before the kill there is no kill; just after it there is', () => {
    expect(foldUntil(events, 1501).kills.length).toBe(0);
    expect(foldUntil(events, 1502).kills.length).toBe(1);
  });

  it('jumps between steps and kills like a player', () => {
    const m = marks(events);
    expect(m).toEqual({ steps: [10, 1010], kills: [1502] });
    expect(nextMark(m.steps, 10)).toBe(1010);
    expect(nextMark(m.steps, 1010)).toBeNull();
    expect(prevMark(m.steps, 1100)).toBe(10); // within the grace: skip back past the current step
    expect(prevMark(m.steps, 1400)).toBe(1010);
    expect(prevMark(m.kills, 1502)).toBeNull();
  });

  it('outlines every step of a recording up front', () => {
    expect(outlineFromEvents(events).map((o) => o.title.en)).toEqual(['First worker', 'Second worker']);
  });
});
