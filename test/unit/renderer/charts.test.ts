// Decimation and the chart model: what the charts are given to draw.
import { describe, expect, it } from 'vitest';
import { decimateMinMax } from '../../../renderer/charts/decimate';
import { memoryModel, countersModel, MiB } from '../../../renderer/charts/model';
import { foldAll, foldUntil } from '../../../renderer/state/fold';
import { handBuiltRun, sample } from './hand-built-events';

describe('decimateMinMax', () => {
  it('returns everything when it fits', () => {
    const xs = [1, 5, 3];
    expect(decimateMinMax(xs, 3, (_, ) => 0, (v) => v, 10).map((p) => p.y)).toEqual([1, 5, 3]);
  });

  it('keeps at most two points per bucket, including every extreme, in time order', () => {
    const n = 100_000;
    const ys = Array.from({ length: n }, (_, i) => Math.sin(i / 50) * 100 + (i === 77_777 ? 1e6 : 0) - (i === 12_345 ? 1e6 : 0));
    const pts = decimateMinMax(ys, n, (v) => v, (v) => v, 500);
    expect(pts.length).toBeLessThanOrEqual(1000);
    expect(pts.some((p) => p.y === ys[77_777])).toBe(true);
    expect(pts.some((p) => p.y === ys[12_345])).toBe(true);
    const idx = pts.map((p) => ys.indexOf(p.y));
    expect(idx.every((v, i) => i === 0 || v >= idx[i - 1]!)).toBe(true);
  });

  it('respects the list length (a state sees only its prefix)', () => {
    const ys = [1, 2, 3, 4, 5, 6];
    expect(decimateMinMax(ys, 3, (v) => v, (v) => v, 10).map((p) => p.y)).toEqual([1, 2, 3]);
  });
});

describe('memoryModel', () => {
  const events = handBuiltRun();

  it('draws usage in MiB against seconds, the limit line, the step boundary and the kill', () => {
    const s = foldAll(events);
    const m = memoryModel(s.series.target, s.kills, s.steps, 1800, 800);
    const usage = m.series.find((x) => x.key === 'usage')!;
    expect(usage.data.at(-1)).toEqual({ x: 1.51, y: 30_000_000 / MiB });
    expect(m.markers).toEqual([
      { kind: 'step', id: 'step1', x: 1.01, index: 1 },
      { kind: 'kill', id: 'kill0', x: 1.502, comm: 'stress', pid: 4243 },
      { kind: 'limit', id: 'limit', y: 128974848 / MiB, bytes: 128974848 },
    ]);
    expect(m.xMax).toBe(1.8);
  });

  it('has no kill marker before the kill', () => {
    const s = foldUntil(events, 1400);
    expect(memoryModel(s.series.target, s.kills, s.steps, 1800, 800).markers.filter((x) => x.kind === 'kill')).toEqual([]);
  });

  it('draws a changed limit as a stepped series instead of one line', () => {
    const s = foldAll([sample(0, 10, 0, 0, 100 * MiB), sample(10, 10, 0, 0, 50 * MiB)]);
    const m = memoryModel(s.series.target, [], [], 10, 100);
    expect(m.markers.some((x) => x.kind === 'limit')).toBe(false);
    expect(m.series.find((x) => x.key === 'limit')?.data.map((p) => p.y)).toEqual([100, 50]);
  });

  it('bounds what chart.js gets at 100 Hz for 10 minutes', () => {
    const ev = Array.from({ length: 60_000 }, (_, i) => sample(i * 10, (i % 1000) * 100_000, i, 0));
    const s = foldAll(ev);
    const m = memoryModel(s.series.target, [], [], 600_000, 1000);
    expect(m.samples).toBe(60_000);
    expect(m.points).toBeLessThanOrEqual(4 * 2000);
    const c = countersModel(s.series.target, [], [], 600_000, 1000);
    expect(c.series.find((x) => x.key === 'failcnt')!.data.at(-1)!.y).toBe(59_999);
  });
});
