// The reducer fed a REAL recording (fixtures/README.md says how it was made):
// what the player shows for an actual OOM kill, and scrubbing over it.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parseRecording } from '../../../electron/lab/recording/parse';
import { foldAll, foldUntil } from '../../../renderer/state/fold';
import { duration, marks, replayOrder, seek, startCursor } from '../../../renderer/state/replay';
import { toArray } from '../../../renderer/state/append-list';
import { memoryModel } from '../../../renderer/charts/model';

const file = new URL('./fixtures/two-workers-123mi.local.ndjson', import.meta.url);
const parsed = parseRecording(readFileSync(file, 'utf8'), 'two-workers-123mi.local.ndjson');
const { header, warnings } = parsed;
// As the replay player folds them: in t order.
const events = replayOrder(parsed.events);

describe('fold over a real recording', () => {
  const s = foldAll(events);
  const kill = events.find((e) => e.kind === 'oom-kill')!;
  if (kill.kind !== 'oom-kill') throw new Error('the fixture has no kill');

  it('reads cleanly', () => {
    expect(warnings).toEqual([]);
    expect(s.run?.runId).toBe(header.runId);
  });

  it('shows the same run folded in recorded (live) order as in time order', () => {
    const live = foldAll(parsed.events);
    expect(live.end).toEqual(s.end);
    expect(live.steps).toEqual(s.steps);
    expect(live.kills.map((k) => [k.t, k.report.pid, k.kernelLine])).toEqual(s.kills.map((k) => [k.t, k.report.pid, k.kernelLine]));
    expect(toArray(live.series.target!).length).toBe(toArray(s.series.target!).length);
  });

  it('ends passed, both steps ok, every expectation ✓', () => {
    expect(s.end?.outcome).toBe('passed');
    expect(s.steps.map((x) => x.status)).toEqual(['ok', 'ok']);
    const exps = s.steps.flatMap((x) => x.expectations);
    expect(exps.length).toBe(events.filter((e) => e.kind === 'expectation').length);
    expect(exps.every((e) => e.passed)).toBe(true);
  });

  it('shows the one kill of the big worker, linked to its kernel lines and marked in the process table', () => {
    expect(s.kills.length).toBe(1);
    expect(s.otherKills).toEqual([]);
    const k = s.kills[0]!;
    expect(k.workload).toBe('big');
    expect(k.report.comm).toBe('stress');
    expect(k.kernelLine).not.toBeNull();
    expect(s.kernelLines.items[k.kernelLine!]!.text).toContain('invoked oom-killer');
    expect(k.kernelLineEnd!).toBeGreaterThan(k.kernelLine!);
    expect(s.processes[kill.report.pid]).toMatchObject({ alive: false, killedT: kill.t, workload: 'big' });
    expect(s.workloads.big?.exit?.oomKilled).toBe(true);
  });

  it('draws the usage climbing to the limit, the kill marker, and the drop after it', () => {
    const pts = toArray(s.series.target!);
    const before = pts.filter((p) => p.t < kill.t);
    const after = pts.filter((p) => p.t > kill.t + 100);
    const limit = header.target.limitBytes!;
    expect(Math.max(...before.map((p) => p.usage))).toBeGreaterThan(limit * 0.9);
    expect(after[0]!.usage).toBeLessThan(limit * 0.6);
    expect(after.at(-1)!.oomKills).toBe(1);
    const m = memoryModel(s.series.target, s.kills, s.steps, duration(events), 800);
    expect(m.markers.find((x) => x.kind === 'kill')).toMatchObject({ x: kill.t / 1000, pid: kill.report.pid });
    expect(m.markers.find((x) => x.kind === 'limit')).toMatchObject({ bytes: limit });
  });

  it('scrubbing to any time equals folding up to it', () => {
    const total = duration(events);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: total, noNaN: true }), { minLength: 1, maxLength: 10 }), (times) => {
        let c = startCursor();
        for (const t of times) {
          c = seek(events, c, t);
          const d = foldUntil(events, t);
          expect(c.state.count).toBe(d.count);
          expect(c.state.kills.length).toBe(d.kills.length);
          expect(c.state.steps).toEqual(d.steps);
          expect(toArray(c.state.kernelLines)).toEqual(toArray(d.kernelLines));
        }
      }),
      { numRuns: 40 },
    );
    const m = marks(events);
    expect(foldUntil(events, m.kills[0]! - 0.001).kills.length).toBe(0);
    expect(foldUntil(events, m.kills[0]!).kills.length).toBe(1);
  });
});
