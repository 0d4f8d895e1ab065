// `npx tsx bench/renderer.ts`: does the player stay smooth at 100 Hz?
//   1. fold: events per second the reducer folds (live runs fold every event);
//   2. chart model: time to decimate 10 min of 100 Hz samples for one redraw;
//   3. scrub: time to fold a whole 10-minute recording from the start (a
//      backwards scrub);
//   4. in Chromium (when /usr/bin/chromium exists): frame intervals while the
//      built renderer replays that recording at 8x (every frame folds and redraws).
// The 10-minute run is SYNTHETIC (a saw-tooth usage curve with a kill every
// 30 s) so its size is exact; it exercises the same code as a real one.
// Prints human figures, then one JSON line. A benchmark, not a test.

import { performance } from 'node:perf_hooks';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent } from '../electron/lab/events';
import { headerFromRunStart } from '../electron/lab/recording/format';
import { recordingLine } from '../electron/lab/recording/parse';
import { fold, foldAll } from '../renderer/state/fold';
import { initialState } from '../renderer/state/view-state';
import { memoryModel } from '../renderer/charts/model';
import { CHECKPOINT_EVERY, seek, startCursor, type Checkpoints } from '../renderer/state/replay';
import { handBuiltReport, handBuiltRun, sample } from '../test/unit/renderer/hand-built-events';

const HZ = 100;
const MINUTES = 10;
const LIMIT = 128974848;

function syntheticRun(): LabEvent[] {
  const [runStart] = handBuiltRun();
  const ev: LabEvent[] = [runStart!, { kind: 'step-start', t: 0, index: 0, title: { en: 'Saw-tooth' }, narration: { en: 'Fill, get killed, repeat.' } }];
  const n = MINUTES * 60 * HZ;
  let kills = 0;
  for (let i = 0; i < n; i++) {
    const t = (i * 1000) / HZ;
    const phase = (t % 30_000) / 30_000;
    ev.push(sample(t, Math.round(LIMIT * Math.min(0.999, phase * 1.2)), kills * 40, kills));
    if (i % (30 * HZ) === 30 * HZ - 1) {
      kills++;
      ev.push({ kind: 'kernel-line', t, raw: handBuiltReport.lines[0]! });
      ev.push({ kind: 'oom-kill', t, report: { ...handBuiltReport, pid: 10_000 + kills }, workload: 'big' });
    }
  }
  ev.push({ kind: 'step-end', t: n * 10, index: 0, outcome: 'ok', message: null }, { kind: 'run-end', t: n * 10, outcome: 'passed', reason: null });
  return ev;
}

function time<T>(f: () => T, reps = 5): { ms: number; value: T } {
  let best = Infinity;
  let value!: T;
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    value = f();
    best = Math.min(best, performance.now() - t0);
  }
  return { ms: best, value };
}

const events = syntheticRun();
const samples = events.filter((e) => e.kind === 'sample').length;

// 1. fold throughput
const foldT = time(() => {
  let s = initialState();
  for (const e of events) s = fold(s, e);
  return s;
});
const eventsPerSec = events.length / (foldT.ms / 1000);

// 2. one redraw's model at 1200 px
const full = foldT.value;
const modelT = time(() => memoryModel(full.series.target, full.kills, full.steps, MINUTES * 60_000, 1200), 20);

// 3. backwards scrub: from scratch, and from the nearest checkpoint (what the player does)
const scrubT = time(() => foldAll(events));
const checkpoints: Checkpoints = [];
const end = seek(events, startCursor(), Infinity, checkpoints);
const scrubBackT = time(() => seek(events, end, (MINUTES * 60_000) / 2, checkpoints), 20);

console.log(`synthetic run: ${events.length} events, ${samples} samples (${MINUTES} min at ${HZ} Hz), ${full.kills.length} kills`);
console.log(`fold:        ${(eventsPerSec / 1e6).toFixed(2)} M events/s  (${((1e6 / eventsPerSec) * 1000).toFixed(0)} ns per event; 100 Hz needs 100/s)`);
console.log(`chart model: ${modelT.ms.toFixed(1)} ms per redraw for ${samples} samples -> ${modelT.value.points} points drawn`);
console.log(`scrub back:  ${scrubT.ms.toFixed(1)} ms to fold the whole run from the start; ${scrubBackT.ms.toFixed(1)} ms from the nearest checkpoint (every ${CHECKPOINT_EVERY} events)`);

const result: Record<string, number | string | null> = {
  events: events.length,
  samples,
  foldEventsPerSec: Math.round(eventsPerSec),
  modelMsPerRedraw: +modelT.ms.toFixed(2),
  pointsDrawn: modelT.value.points,
  scrubFullMs: +scrubT.ms.toFixed(1),
  scrubBackMs: +scrubBackT.ms.toFixed(2),
  browserFrameP50Ms: null,
  browserFrameP95Ms: null,
};

// 4. the real renderer in Chromium, replaying at 8x.
if (existsSync('/usr/bin/chromium')) {
  const { launchBrowser, openApp } = await import('../test/e2e/helpers/app');
  const dir = mkdtempSync(join(tmpdir(), 'oomlab-bench-'));
  const file = join(dir, 'synthetic-10min.ndjson');
  const first = events[0]!;
  if (first.kind !== 'run-start') throw new Error('no run-start');
  writeFileSync(file, [headerFromRunStart(first), ...events].map((x) => recordingLine(x as LabEvent)).join(''));
  const browser = await launchBrowser();
  const app = await openApp(browser);
  try {
    app.dialogs.opens.push(file);
    const t0 = performance.now();
    await app.page.getByTestId('open-recording').click();
    await app.page.getByTestId('player').waitFor();
    const openMs = performance.now() - t0;
    await app.page.getByTestId('speed').selectOption('8');
    await app.page.getByTestId('play').click();
    // A string, not a function: tsx's name-keeping helpers do not exist in the page.
    const frames = (await app.page.evaluate(`new Promise((resolve) => {
      const out = [];
      let last = performance.now();
      const tick = (now) => {
        out.push(now - last);
        last = now;
        if (out.length < 300) requestAnimationFrame(tick);
        else resolve(out);
      };
      requestAnimationFrame(tick);
    })`)) as number[];
    frames.sort((a, b) => a - b);
    const p = (q: number) => frames[Math.floor(q * (frames.length - 1))]!;
    result.browserOpenMs = Math.round(openMs);
    result.browserFrameP50Ms = +p(0.5).toFixed(1);
    result.browserFrameP95Ms = +p(0.95).toFixed(1);
    console.log(`chromium:    opened in ${Math.round(openMs)} ms; playing at 8x: frame p50 ${p(0.5).toFixed(1)} ms, p95 ${p(0.95).toFixed(1)} ms (headless, software GL)`);
  } finally {
    await app.close();
    await browser.close();
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  console.log('chromium:    skipped (/usr/bin/chromium not installed)');
}
console.log(JSON.stringify(result));
