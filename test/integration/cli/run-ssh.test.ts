// `oomlab run` against a real OpenSSH server on 127.0.0.1 (this machine, so
// real cgroup v1, stress and kernel log), exactly as a user would run it:
//   npx oomlab run scenarios/two-workers-123mi.yaml --host root@127.0.0.1:PORT --identity KEY --known-hosts KH --record out.ndjson

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { readRecording } from '../../../electron/lab/recording/read';
import { requireOrSkip, startSshd, type TestSshd } from '../../helpers/sshd';
import { checkTwoWorkersRun, leftovers, parseNdjson, runCli, spawnCli, until } from './oomlab-child';

const pre = requireOrSkip(['root', 'sshd', 'cgroup-v1-memory', 'stress']);
// Only the flags: never the user's agent or ~/.ssh/config.
const env = { SSH_AUTH_SOCK: '' };

describe.skipIf(pre.skip)('oomlab run over SSH', () => {
  let h: TestSshd;
  let dir: string;
  let seen: LabEvent[][] = [];
  const flags = () => ['--host', h.spec, '--identity', h.identityFile, '--known-hosts', h.knownHostsFile, '--ssh-config', h.sshConfigFile];

  beforeAll(async () => {
    h = await startSshd();
    dir = mkdtempSync(join(tmpdir(), 'oomlab-cli-ssh-'));
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    const runs = seen;
    seen = [];
    for (const events of runs) {
      await until(() => leftovers(events).length === 0, 15_000, 'no leftovers').catch(() => {});
      expect(leftovers(events)).toEqual([]);
    }
  });

  it('runs the two-workers scenario end to end and records it', async () => {
    const rec = join(dir, 'out.ndjson');
    const r = await runCli(['run', 'scenarios/two-workers-123mi.yaml', ...flags(), '--record', rec, '--no-sweep'], env);
    const { header, events } = await readRecording(rec);
    seen.push(events);
    expect(r.code, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
    expect(header.host.host).toBe(h.spec);
    checkTwoWorkersRun(header, events);
  });

  it('when the SSH connection is killed mid-run, the workloads die and a reconnect removes the cgroup', async () => {
    const c = spawnCli(['run', 'two-workers-123mi', ...flags(), '--json', '--no-sweep'], env);
    const start = (await c.waitForEvent((e) => e.kind === 'run-start', 60_000)) as EventOf<'run-start'>;
    await c.waitForEvent((e) => e.kind === 'sample' && e.usageBytes > 50 * 1024 * 1024, 60_000);
    const sessions = h.sessionPids();
    expect(sessions.length).toBeGreaterThan(0);
    for (const pid of sessions) process.kill(pid, 'SIGKILL');
    const r = await c.done;
    const events = parseNdjson(r.stdout);
    seen.push(events);
    expect(r.code, r.stderr).toBe(3);
    expect(events[events.length - 1]).toMatchObject({ kind: 'run-end', outcome: 'aborted', reason: expect.stringMatching(/^the connection to root@127\.0\.0\.1:\d+ dropped/) });
    expect(events.some((e) => e.kind === 'action' && e.text === `reconnected and removed ${start.target.path}`)).toBe(true);
    expect(leftovers(events)).toEqual([]);
  });

  it('after the runner is SIGKILLed, the next run sweeps the leftover cgroup on connect', async () => {
    const c = spawnCli(['run', 'two-workers-123mi', ...flags(), '--json', '--no-sweep'], env);
    const start = (await c.waitForEvent((e) => e.kind === 'run-start', 60_000)) as EventOf<'run-start'>;
    await c.waitForEvent((e) => e.kind === 'sample' && e.usageBytes > 50 * 1024 * 1024, 60_000);
    c.child.kill('SIGKILL');
    await c.done;
    const killed = parseNdjson(c.stdout().split('\n').filter((l) => l.endsWith('}')).join('\n'));
    seen.push(killed);
    // the TCP connection died with the process: sshd closed the channels and the wrappers killed the workloads
    await until(() => leftovers(killed).length === 1, 15_000, 'the workloads to die with their channels');
    expect(leftovers(killed)).toEqual([start.target.path]);

    // the next run sweeps it on connect (and then runs normally)
    const r = await runCli(['run', 'two-workers-123mi', ...flags(), '--json'], env);
    const next = parseNdjson(r.stdout);
    seen.push(next);
    expect(r.code, r.stderr).toBe(0);
    expect(next.filter((e) => e.kind === 'action').map((e) => (e as EventOf<'action'>).text)).toContain(`removed ${start.target.path}, left over from an earlier run`);
    expect(leftovers(killed)).toEqual([]);
  });
});
