// `npx tsx bench/recording.ts`: a 1 h recording at 100 Hz, how big on disk
// and how long to open (gunzip + parse + check every event + fold).
// Aims (issue 16): ≤ 15 MB, ≤ 1.5 s.
//
// The run is built from a REAL sampler run's shape: the bundled recording of
// growing-allocator (50 ms ticks, its processes lists, kernel lines and kill)
// is repeated for an hour, each cycle's sample curve resampled to 10 ms ticks
// with page-sized noise and sub-ms tick jitter (so gzip sees fresh numbers, as
// it would in a real run, not a repeated block). Prints figures, then one JSON line.

import { performance } from 'node:perf_hooks';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventOf, LabEvent } from '../electron/lab/events';
import { headerFromRunStart } from '../electron/lab/recording/format';
import { readRecording } from '../electron/lab/recording/read';
import { RecordingWriter } from '../electron/lab/recording/writer';
import { foldAll } from '../renderer/state/fold';

const SOURCE = join(import.meta.dirname, '../scenarios/recordings/growing-allocator.ndjson');
const HZ = 100;
const HOURS = 1;
const AIM_BYTES = 15e6;
const AIM_OPEN_MS = 1500;

let seed = 0x2545f491;
const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
const PAGE = 4096;

function hourOf(real: LabEvent[]): LabEvent[] {
  const start = real.find((e) => e.kind === 'run-start')!;
  const samples = real.filter((e): e is EventOf<'sample'> => e.kind === 'sample');
  const others = real.filter((e) => e.kind !== 'sample' && e.kind !== 'run-start' && e.kind !== 'run-end');
  const cycleMs = Math.ceil(real.at(-1)!.t / 1000) * 1000;
  const out: LabEvent[] = [start];
  const end = HOURS * 3600_000;
  for (let base = 0; base < end; base += cycleMs) {
    let si = 0;
    const timed = others.map((e) => ({ ...e, t: e.t + base }));
    let oi = 0;
    let peak = 0;
    for (let tick = 0; tick < cycleMs && base + tick < end; tick += 1000 / HZ) {
      const t = Math.round((base + tick + rand() * 2) * 1000) / 1000;
      while (oi < timed.length && timed[oi]!.t <= t) out.push(timed[oi++]!);
      while (si < samples.length - 1 && samples[si + 1]!.t <= tick) si++;
      const s = samples[si]!;
      const noise = Math.round((rand() - 0.5) * 16) * PAGE;
      const usage = Math.max(0, s.usageBytes + noise);
      peak = Math.max(peak, usage);
      out.push({ ...s, t, usageBytes: usage, rssBytes: Math.max(0, s.rssBytes + noise), workingSetBytes: Math.max(0, usage - s.inactiveFileBytes), peakBytes: peak });
    }
    while (oi < timed.length) out.push(timed[oi++]!);
  }
  out.push({ kind: 'run-end', t: end, outcome: 'passed', reason: null });
  return out;
}

const real = (await readRecording(SOURCE)).events;
const events = hourOf(real);
const samples = events.filter((e) => e.kind === 'sample').length;
const dir = mkdtempSync(join(tmpdir(), 'oomlab-bench-rec-'));
try {
  const path = join(dir, 'hour.ndjson.gz');
  const w = new RecordingWriter(path, headerFromRunStart(events[0] as EventOf<'run-start'>));
  const w0 = performance.now();
  for (const e of events) w.write(e);
  await w.end();
  const writeMs = performance.now() - w0;
  const bytes = statSync(path).size;

  let openMs = Infinity;
  let readMs = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const r = await readRecording(path);
    const t1 = performance.now();
    foldAll(r.events);
    const t2 = performance.now();
    if (t2 - t0 < openMs) [openMs, readMs] = [t2 - t0, t1 - t0];
    if (r.events.length !== events.length) throw new Error(`read ${r.events.length} events, wrote ${events.length}`);
  }
  const ok = (b: boolean) => (b ? 'ok' : 'OVER THE AIM');
  console.log(`recording:   ${HOURS} h at ${HZ} Hz from ${SOURCE.split('/').pop()}'s shape: ${samples} samples, ${events.length} events`);
  console.log(`size:        ${(bytes / 1e6).toFixed(2)} MB on disk (${(bytes / samples).toFixed(1)} bytes a sample; aim ≤ ${AIM_BYTES / 1e6} MB: ${ok(bytes <= AIM_BYTES)})`);
  console.log(`open:        ${openMs.toFixed(0)} ms to gunzip, parse, check and fold (aim ≤ ${AIM_OPEN_MS} ms: ${ok(openMs <= AIM_OPEN_MS)}): read ${readMs.toFixed(0)} ms + fold ${(openMs - readMs).toFixed(0)} ms`);
  console.log(`load:        ${loadavg()[0]!.toFixed(1)} (1 min average on ${availableParallelism()} cores): figures from a busy machine are larger`);
  console.log(`write:       ${writeMs.toFixed(0)} ms to write it (compact + gzip)`);
  console.log(JSON.stringify({ bench: 'recording', samples, events: events.length, bytes, bytesPerSample: bytes / samples, openMs: Math.round(openMs), readMs: Math.round(readMs), writeMs: Math.round(writeMs) }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
