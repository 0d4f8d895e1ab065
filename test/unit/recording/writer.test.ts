import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingWriter } from '../../../electron/lab/recording/writer';
import { readRecording } from '../../../electron/lab/recording/read';
import { RecordingError } from '../../../electron/lab/recording/parse';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { header, events, sample } from './fixtures';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'oomlab-rec-'));
  dirs.push(d);
  return join(d, 'run.ndjson');
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function until(cond: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('RecordingWriter', () => {
  it('round-trips through readRecording', async () => {
    const path = tmp();
    const w = new RecordingWriter(path, header);
    for (const e of events) w.write(e);
    await w.end();
    await w.end(); // idempotent
    expect(w.eventsWritten).toBe(events.length);
    const r = await readRecording(path);
    expect(r.header).toEqual(header);
    expect(r.events).toEqual(events);
    expect(r.warnings).toEqual([]);
  });

  it('writes the header at once and events within a second without end()', async () => {
    const path = tmp();
    const w = new RecordingWriter(path, header, { flushMs: 1000 });
    try {
      expect(readFileSync(path, 'utf8').split('\n')).toHaveLength(2); // header + ''
      w.write(sample(10, 1));
      w.write(sample(20, 2));
      const started = Date.now();
      await until(() => readFileSync(path, 'utf8').split('\n').length === 4, 1500);
      expect(Date.now() - started).toBeLessThanOrEqual(1200);
      const r = await readRecording(path);
      expect(r.events.map((e) => e.t)).toEqual([10, 20]);
    } finally {
      await w.end();
    }
  });

  it('flushes early when the buffer is large', async () => {
    const path = tmp();
    const w = new RecordingWriter(path, header, { flushMs: 1000, maxBufferBytes: 100 });
    try {
      for (let i = 0; i < 10; i++) w.write(sample(i, i));
      // ~100 bytes per compact sample: at least two early flushes happened synchronously
      expect(readFileSync(path, 'utf8').split('\n').length).toBeGreaterThan(3);
    } finally {
      await w.end();
    }
  });

  it('keeps everything flushed when the writing process is SIGKILLed', async () => {
    const path = tmp();
    const script = fileURLToPath(new URL('./crash-writer.ts', import.meta.url));
    const child = spawn(process.execPath, ['--import', 'tsx', script, path], { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    try {
      await until(() => {
        try {
          return readFileSync(path, 'utf8').split('\n').length > 40;
        } catch {
          return false;
        }
      }, 15_000);
    } finally {
      child.kill('SIGKILL');
      await exited;
    }
    const r = await readRecording(path);
    expect(r.events.length).toBeGreaterThanOrEqual(39);
    // samples are contiguous: nothing before the last flush went missing
    r.events.forEach((e, i) => expect(e.t).toBe((i + 1) * 5));
    expect(r.warnings.length).toBeLessThanOrEqual(1);
  });

  it('refuses writes after end', async () => {
    const w = new RecordingWriter(tmp(), header);
    await w.end();
    expect(() => w.write(events[0]!)).toThrow(/already closed/);
  });

  it('readRecording names a missing file', async () => {
    await expect(readRecording('/nonexistent/x.ndjson')).rejects.toThrow(RecordingError);
    await expect(readRecording('/nonexistent/x.ndjson')).rejects.toThrow(/^\/nonexistent\/x\.ndjson: no such file$/);
  });
});
