// Compressed, compact recordings (format version 2): round trip, a killed
// writer's .gz reads back to its last flush, and version 1 files still read.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { RecordingWriter } from '../../../electron/lab/recording/writer';
import { readRecording } from '../../../electron/lab/recording/read';
import { parseRecording, recordingLine } from '../../../electron/lab/recording/parse';
import type { LabEvent } from '../../../electron/lab/events';
import { header, events, sample } from './fixtures';

const dirs: string[] = [];
function tmp(name = 'run.ndjson.gz'): string {
  const d = mkdtempSync(join(tmpdir(), 'oomlab-rec-'));
  dirs.push(d);
  return join(d, name);
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Samples whose fields change the way a real run's do, including nulls that appear and go. */
function varied(): LabEvent[] {
  const out: LabEvent[] = [];
  for (let i = 1; i <= 50; i++) {
    const s = sample(i * 10, i * 4096) as LabEvent & Record<string, unknown>;
    out.push({
      ...s,
      cgroup: i % 5 === 0 ? 'wl-a' : 'target',
      inactiveFileBytes: i % 3 === 0 ? 8192 : 0,
      workingSetBytes: i === 7 ? 1 : Math.max(0, i * 4096 - (i % 3 === 0 ? 8192 : 0)),
      peakBytes: i === 20 ? null : i * 4096,
      pressure: i > 30 ? { someAvg10: i / 10, fullAvg10: 0 } : null,
      limitBytes: i > 40 ? null : 128974848,
    } as LabEvent);
  }
  return out;
}

describe('compressed recordings', () => {
  it('round-trip: every event reads back as written, samples through the compact form', async () => {
    const path = tmp();
    const all = [...events, ...varied()];
    const w = new RecordingWriter(path, header);
    for (const e of all) w.write(e);
    await w.end();
    const bytes = readFileSync(path);
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    const lines = gunzipSync(bytes).toString('utf8').trim().split('\n');
    const compact = lines.filter((l) => l.startsWith('{"kind":"s",'));
    expect(compact.length).toBeGreaterThan(50);
    expect(compact.some((l) => l.includes('null'))).toBe(true); // a field that became null is written
    expect(lines.filter((l) => l.includes('null') && l.startsWith('{"kind":"s",')).length).toBeLessThan(5);
    const r = await readRecording(path);
    expect(r.header).toEqual(header);
    expect(r.events).toEqual(all);
    expect(r.warnings).toEqual([]);
  });

  it('a compact sample is a small fraction of the full one', async () => {
    const path = tmp('plain.ndjson');
    const w = new RecordingWriter(path, header);
    for (let i = 1; i <= 1000; i++) w.write(sample(i * 10, i * 4096));
    await w.end();
    const perSample = (statSync(path).size - recordingLine(header).length) / 1000;
    expect(perSample).toBeLessThan(60);
    expect(recordingLine(sample(10, 4096)).length).toBeGreaterThan(250);
  });

  it('a compact line is checked like any event: bad fields name the line', () => {
    const head = recordingLine(header);
    expect(() => parseRecording(head + '{"kind":"s","t":1,"u":"big"}\n', 'x.ndjson')).toThrow(/^x\.ndjson:2: usageBytes: expected number, got string$/);
    expect(() => parseRecording(head + '{"kind":"s","t":1,"zz":1}\n', 'x.ndjson')).toThrow(/^x\.ndjson:2: compact sample: unknown field "zz"$/);
    expect(() => parseRecording(recordingLine({ ...header, version: 1 }) + '{"kind":"s","t":1}\n', 'x.ndjson')).toThrow(/^x\.ndjson:2: kind: unknown "s"$/);
  });

  it('a writer SIGKILLed mid-run leaves a .gz that reads to its last flush', async () => {
    const path = tmp();
    const script = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, path], { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    const decoded = () => {
      try {
        return parseRecording(gunzipSync(readFileSync(path), { finishFlush: 2 }).toString('utf8')).events.length;
      } catch {
        return 0;
      }
    };
    try {
      const deadline = Date.now() + 15_000;
      while (decoded() < 40) {
        if (Date.now() > deadline) throw new Error('the writer flushed nothing within 15 s');
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    expect(() => gunzipSync(readFileSync(path))).toThrow(/unexpected end of file/);
    const r = await readRecording(path);
    expect(r.events.length).toBeGreaterThanOrEqual(40);
    r.events.forEach((e, i) => expect(e.t).toBe((i + 1) * 5));
    expect(r.warnings).toContain(`${path}: the compressed file ends early (the run was cut off); read to its last flush`);
  });

  it('old recordings (version 1, plain NDJSON, full samples) still read', async () => {
    const demo = fileURLToPath(new URL('../../../scenarios/recordings/growing-allocator.ndjson', import.meta.url));
    expect(JSON.parse(readFileSync(demo, 'utf8').split('\n')[0]!).version).toBe(1);
    const r = await readRecording(demo);
    expect(r.events.filter((e) => e.kind === 'sample').length).toBeGreaterThan(10);
    const path = tmp('v1.ndjson');
    writeFileSync(path, recordingLine({ ...header, version: 1 }) + events.map(recordingLine).join(''));
    expect((await readRecording(path)).events).toEqual(events);
  });
});
