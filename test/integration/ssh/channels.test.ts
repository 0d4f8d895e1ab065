// exec and stream over a real sshd: exit codes and signals, timeouts,
// line streaming, cancellation, backpressure, and more channels than the
// server's MaxSessions.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSshd, connectTestHost, requireOrSkip, type TestSshd } from '../../helpers/sshd';
import { TimeoutError, type Transport } from '../../../electron/lab/ssh/transport';
import type { SshTransport } from '../../../electron/lab/ssh/ssh';
import { sh } from '../../../electron/lab/ssh/quote';

const pre = requireOrSkip(['root', 'sshd']);

/** Poll `cond` until true or the deadline passes. */
async function until(what: string, cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const running = (pattern: string) => spawnSync('/usr/bin/pgrep', ['-f', pattern]).status === 0;

describe.skipIf(pre.skip)('exec and stream over a real sshd', () => {
  let h: TestSshd;
  let t: Transport;
  beforeAll(async () => {
    h = await startSshd({ maxSessions: 3 });
    t = await connectTestHost(h);
  });
  afterAll(async () => {
    await t?.close();
    await h?.stop();
  });

  it('returns stdout, stderr and the exit code; passes stdin', async () => {
    expect(await t.exec('cat; echo to-err >&2; exit 7', { stdin: 'from stdin\n' })).toEqual({ stdout: 'from stdin\n', stderr: 'to-err\n', code: 7, signal: null });
  });

  it('reports death by signal', async () => {
    const r = await t.exec('kill -KILL $$');
    expect(r.code).toBeNull();
    expect(r.signal).toBe('KILL');
  });

  it('kills a command that exceeds its timeout', async () => {
    const marker = `sleep 31.${process.pid}`;
    const err = await t.exec(`exec ${marker}`, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    await until('the timed-out command to be gone', () => !running(marker));
  });

  it('kills a command whose AbortSignal fires and reports the signal', async () => {
    const marker = `sleep 33.${process.pid}`;
    const ac = new AbortController();
    const r = t.exec(`exec ${marker}`, { signal: ac.signal });
    await until('the sleep to run', () => running(marker));
    ac.abort();
    expect(await r).toMatchObject({ code: null, signal: 'KILL' });
    expect(running(marker)).toBe(false);
  });

  it('streams lines in order, multi-byte characters intact', async () => {
    const lines: string[] = [];
    const p = t.stream(sh`for i in 1 2 3; do printf '%s\n' ${'größe ✓'}-$i; done; echo last-no-newline >&2; printf tail`, { onLine: (l, fd) => lines.push(`${fd}:${l}`) });
    expect(await p.exit).toEqual({ code: 0, signal: null });
    expect(lines.filter((l) => l.startsWith('stdout:'))).toEqual(['stdout:größe ✓-1', 'stdout:größe ✓-2', 'stdout:größe ✓-3', 'stdout:tail']);
    expect(lines).toContain('stderr:last-no-newline');
  });

  it('writes to a stream and ends it with EOF on close (abort)', async () => {
    const lines: string[] = [];
    const ac = new AbortController();
    const p = t.stream('echo ready; while read -r x; do echo "got $x"; done; echo eof', { onLine: (l) => lines.push(l), signal: ac.signal });
    await until('ready', () => lines.includes('ready'));
    p.write('one\n');
    await until('echo of one', () => lines.includes('got one'));
    ac.abort();
    expect(await p.exit).toEqual({ code: 0, signal: null });
    expect(lines).toEqual(['ready', 'got one', 'eof']);
  });

  it('closes a stream that ignores stdin: it is signalled after the grace period', async () => {
    const marker = `sleep 32.${process.pid}`;
    const p = t.stream(`exec ${marker}`, { onLine: () => {} });
    await until('the sleep to run', () => running(marker));
    p.close();
    const exit = await p.exit;
    expect(exit.code === null || exit.code !== 0).toBe(true);
    await until('the sleep to be gone', () => !running(marker));
  });

  it('backpressure: a paused stream stops the remote writer, resume lets it go on', async () => {
    const counter = join(h.dir, 'bp-counter');
    let received = 0;
    // 8 KiB lines fill the SSH window (2 MiB) and the channel buffer in a few hundred writes.
    const p = t.stream(sh`pad=$(printf '%08000d' 0); i=0; while :; do i=$((i+1)); echo "$i" > ${counter}; echo "$i $pad"; done`, { onLine: () => received++ });
    p.pause();
    const read = () => (existsSync(counter) ? Number(readFileSync(counter, 'utf8').trim() || 0) : 0);
    // Blocked: the remote counter stops moving once the SSH window and pipes are full.
    let last = -1;
    await until('the remote writer to block', async () => {
      const a = read();
      await new Promise((r) => setTimeout(r, 300));
      const b = read();
      const stable = a > 0 && a === b && a === last;
      last = b;
      return stable;
    }, 20_000);
    const blockedAt = last;
    const receivedWhilePaused = received;
    p.resume();
    await until('the writer to continue after resume', () => read() > blockedAt + 1000);
    expect(received).toBeGreaterThan(receivedWhilePaused);
    p.close();
    await p.exit;
  });

  it('runs 8 concurrent streams on a server with MaxSessions 3', async () => {
    const n = 8;
    const seen: string[][] = Array.from({ length: n }, () => []);
    const procs = seen.map((lines, i) => t.stream(sh`echo start ${i}; read -r x; echo "done ${i} $x"`, { onLine: (l) => lines.push(l) }));
    // All eight are open at the same time: each waits for our input.
    await until('all 8 streams to start', () => seen.every((l, i) => l.includes(`start ${i}`)), 30_000);
    const stats = (t as SshTransport).stats();
    expect(stats.connections).toBeGreaterThan(1);
    // The first connection learned the server's limit from its refusal.
    expect(stats.limits[0]).toBeLessThanOrEqual(3);
    procs.forEach((p, i) => p.write(`x${i}\n`));
    const exits = await Promise.all(procs.map((p) => p.exit));
    expect(exits.every((e) => e.code === 0)).toBe(true);
    seen.forEach((l, i) => expect(l).toEqual([`start ${i}`, `done ${i} x${i}`]));
    // And execs still go through while the limit is known.
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => t.exec(`echo ${i}`)));
    expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 12 }, (_, i) => `${i}\n`));
  });
});
