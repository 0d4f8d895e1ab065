// The host probe against this machine, over a real sshd and through the local
// transport (same code), as root and as an unprivileged user.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { startSshd, connectTestHost, requireOrSkip, createTestUser, keygen, type TestSshd, type TestUser } from '../../helpers/sshd';
import { probeHost } from '../../../electron/lab/host/probe';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { connectSsh } from '../../../electron/lab/ssh/connect';
import { execAsRoot } from '../../../electron/lab/ssh/sudo';
import { SudoRefusedError } from '../../../electron/lab/ssh/errors';

const pre = requireOrSkip(['root', 'sshd', 'cgroup-v1-memory', 'stress', 'useradd']);

const leftovers = () => execFileSync('/usr/bin/find', ['/sys/fs/cgroup/memory', '-maxdepth', '2', '-name', 'oomlab-probe-*'], { encoding: 'utf8' }).trim();

describe.skipIf(pre.skip)('host probe of this machine', () => {
  let h: TestSshd;
  let user: TestUser;
  beforeAll(async () => {
    h = await startSshd();
    user = createTestUser();
  });
  afterAll(async () => {
    await h?.stop();
    user?.remove();
  });

  it('over SSH as root: cgroup v1, memory controller, can create a cgroup, stress present', async () => {
    const t = await connectTestHost(h);
    try {
      const started = Date.now();
      const f = await probeHost(t);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(f).toMatchObject({ host: h.spec, cgroup: 'v1', memoryMount: '/sys/fs/cgroup/memory', memoryController: true, canCreateCgroup: true, root: true });
      expect(f.tools.stress).toBeTruthy();
      expect(f.kernel).toBe(execFileSync('uname', ['-r'], { encoding: 'utf8' }).trim());
      expect(f.memTotalBytes).toBeGreaterThan(0);
      expect(f.memAvailableBytes).toBeLessThanOrEqual(f.memTotalBytes);
      expect(f.kernelLog.length).toBeGreaterThan(0);
      // The probe cgroup was really created: the sshd session saw it succeed, and it is gone now.
      expect(leftovers()).toBe('');
    } finally {
      await t.close();
    }
  });

  it('through the local transport gives the same answers', async () => {
    const t = await connectTestHost(h);
    const viaSsh = await probeHost(t);
    await t.close();
    const local = await probeHost(new LocalTransport());
    const pick = (f: typeof local) => ({ kernel: f.kernel, cgroup: f.cgroup, memoryMount: f.memoryMount, canCreateCgroup: f.canCreateCgroup, root: f.root, memTotalBytes: f.memTotalBytes, tools: Object.keys(f.tools).filter((k) => f.tools[k] !== false) });
    expect(local.host).toBe('local');
    expect(pick(local)).toEqual(pick(viaSsh));
  });

  it('as an unprivileged user: no cgroup creation, and privileged commands fail clearly', async () => {
    const key = join(h.dir, `id_${user.name}`);
    h.authorizeUser(user.name, keygen(key));
    const t = await connectSsh(`${user.name}@127.0.0.1:${h.port}`, { identityFiles: [key], knownHostsFile: h.knownHostsFile, sshConfigFile: h.sshConfigFile, useAgent: false });
    try {
      const f = await probeHost(t);
      expect(f).toMatchObject({ user: user.name, root: false, sudo: false, canCreateCgroup: false, memoryController: true });
      expect(f.problems[0]).toMatch(/not root and `sudo -n` is refused/);
      const err = await execAsRoot(t, 'mkdir /sys/fs/cgroup/memory/oomlab-never', false).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SudoRefusedError);
      expect((err as Error).message).toMatch(new RegExp(`^sudo -n refused on ${user.name}@127\\.0\\.0\\.1:${h.port}: `));
    } finally {
      await t.close();
    }
    expect(leftovers()).toBe('');
  });
});
