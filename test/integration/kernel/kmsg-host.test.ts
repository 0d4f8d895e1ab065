// `oomlab kmsg --host` over the real loopback sshd, reading this machine's real
// kernel log: a real OOM kill in a small test cgroup is found with its wall
// time, `--follow` prints one made while it runs, nothing is written into
// /dev/kmsg, and a user who may not read the log gets one line and exit 6.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { sh } from '../../../electron/lab/ssh/quote';
import { createTestUser, keygen, requireOrSkip, startSshd, type TestSshd } from '../../helpers/sshd';
import { runCli, spawnCli, until } from '../cli/oomlab-child';

const pre = requireOrSkip(['root', 'sshd', 'cgroup-v1-memory', 'stress', 'useradd']);
const V1 = '/sys/fs/cgroup/memory';
const env = { SSH_AUTH_SOCK: '' };

/** The kmsg ring as it is now (a read changes nothing). */
function ring(): string[] {
  try {
    execFileSync('dd', ['if=/dev/kmsg', 'iflag=nonblock', 'bs=65536', 'status=none'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? '').split('\n');
  }
  return [];
}

/** A real OOM kill: stress in a fresh 32M cgroup; returns the cgroup path and the killed worker's pid. */
async function oomKill(tr: LocalTransport, cleanups: Array<() => Promise<void>>): Promise<{ memcg: string; pid: number }> {
  const name = `oomlab-itest-kmsghost-${randomBytes(4).toString('hex')}`;
  const cg = `${V1}/${name}`;
  cleanups.push(async () => {
    if (!existsSync(cg)) return;
    for (const pid of readFileSync(`${cg}/cgroup.procs`, 'utf8').split('\n').filter(Boolean)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    await until(() => readFileSync(`${cg}/cgroup.procs`, 'utf8').trim() === '', 10_000, 'the test cgroup to empty');
    await tr.exec(sh`rmdir ${cg}`);
  });
  await tr.exec(sh`mkdir ${cg} && echo 32M > ${cg}/memory.limit_in_bytes && echo 32M > ${cg}/memory.memsw.limit_in_bytes`);
  const run = await tr.exec(sh`sh -c 'echo $$ > "$1/cgroup.procs"; exec stress --vm 1 --vm-bytes 64M --vm-keep -t 20' sh ${cg}`, { timeoutMs: 60_000 });
  const worker = /worker (\d+) got signal 9/.exec(run.stderr + run.stdout);
  if (!worker) throw new Error(`stress was not OOM-killed: ${run.stderr}`);
  return { memcg: `/${name}`, pid: Number(worker[1]) };
}

interface KillJson {
  kind: string;
  pid: number;
  memcg: string;
  time: { wall: string | null; uptimeSec: number | null };
}

describe.skipIf(pre.skip)('oomlab kmsg --host over SSH', () => {
  let h: TestSshd;
  const tr = new LocalTransport();
  const cleanups: Array<() => Promise<void>> = [];
  const flags = () => ['--host', h.spec, '--identity', h.identityFile, '--known-hosts', h.knownHostsFile, '--ssh-config', h.sshConfigFile];
  const startMarker = `oomlab-itest kmsg-host ${randomBytes(4).toString('hex')} begins`;

  beforeAll(async () => {
    h = await startSshd();
    execFileSync('sh', ['-c', sh`echo ${startMarker} > /dev/kmsg`]);
  });
  afterEach(async () => {
    const errors: unknown[] = [];
    for (const c of cleanups.splice(0).reverse()) await c().catch((e: unknown) => errors.push(e));
    if (errors.length) throw errors[0];
  });
  afterAll(async () => {
    await h?.stop();
    await tr.close();
  });

  it('finds a real kill of this machine with its cgroup and wall time', { timeout: 120_000 }, async () => {
    const before = Date.now();
    const kill = await oomKill(tr, cleanups);
    const after = Date.now();
    const r = await runCli(['kmsg', ...flags(), '--since', '5m', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/kernel log read through \/dev\/kmsg, last 5m/);
    const rows = JSON.parse(r.stdout) as KillJson[];
    const row = rows.find((x) => x.memcg === kill.memcg);
    expect(row).toMatchObject({ kind: 'kill', pid: kill.pid });
    const wall = Date.parse(row!.time.wall ?? '');
    // Boot time from /proc/uptime has 10 ms resolution; the kill happened while stress ran.
    expect(wall).toBeGreaterThanOrEqual(before - 1000);
    expect(wall).toBeLessThanOrEqual(after + 1000);

    const text = await runCli(['kmsg', ...flags(), '--since', '5m'], env);
    expect(text.stdout).toContain(`killed      pid ${kill.pid} (stress)`);
    expect(text.stdout).toContain(`${kill.memcg} (memory cgroup)`);
  });

  it('--follow prints a kill made while it runs, and stops on Ctrl-C', { timeout: 120_000 }, async () => {
    const c = spawnCli(['kmsg', ...flags(), '--follow', '--json'], env);
    cleanups.push(async () => {
      if (c.child.exitCode === null) c.child.kill('SIGKILL');
    });
    await until(() => /following \(Ctrl-C to stop\)/.test(c.stderr()), 30_000, `the follow to start; stderr: ${c.stderr()}`);
    const kill = await oomKill(tr, cleanups);
    const got = (await c.waitForEvent((e) => (e as unknown as KillJson).memcg === kill.memcg, 5_000)) as unknown as KillJson;
    expect(got).toMatchObject({ kind: 'kill', pid: kill.pid });
    expect(got.time.wall).toMatch(/^\d{4}-\d\d-\d\dT/);
    c.child.kill('SIGINT');
    const r = await c.done;
    expect(r.code, r.stderr).toBe(0);
  });

  it('writes nothing into the kernel log (no follower marker after the commands above)', () => {
    const lines = ring();
    const from = lines.findIndex((l) => l.includes(startMarker));
    expect(from).toBeGreaterThanOrEqual(0);
    expect(lines.slice(from).filter((l) => l.includes('oomlab: run kmsg-follow'))).toEqual([]);
  });

  it('a user without sudo -n, with kernel.dmesg_restrict=1, gets one clear line and exit 6', { timeout: 60_000 }, async () => {
    expect(readFileSync('/proc/sys/kernel/dmesg_restrict', 'utf8').trim()).toBe('1');
    const user = createTestUser();
    cleanups.push(async () => user.remove());
    const key = join(h.dir, `id_${user.name}`);
    h.authorizeUser(user.name, keygen(key));
    const r = await runCli(['kmsg', '--host', `${user.name}@127.0.0.1:${h.port}`, '--identity', key, '--known-hosts', h.knownHostsFile, '--ssh-config', h.sshConfigFile], env);
    expect(r.code).toBe(6);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^oomlab: .*cannot read the kernel log: \/dev\/kmsg: .*Operation not permitted; sudo -n refused .*; dmesg: read kernel buffer failed: .*journalctl -k: .*\(connect as root/);
  });
});
