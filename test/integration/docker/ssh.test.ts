// The docker target through a real OpenSSH server on 127.0.0.1 (the engine's
// SSH path): the classic growing allocator ends with OOMKilled=true, exit 137
// and a kernel report naming the container's cgroup; a dropped link takes the
// container with it.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { connectTestHost, requireOrSkip, startSshd, type TestSshd } from '../../helpers/sshd';
import { probeHost } from '../../../electron/lab/host/probe';
import { createDockerTarget } from '../../../electron/lab/targets/docker';
import { containerExists, describeWithDocker, expectContainerKill, of, oomlabContainers, removeContainers, runBundled, until, whyNot } from './helpers';

const pre = requireOrSkip(['root', 'sshd']);

describeWithDocker('docker target over a real sshd', () => {
  let h: TestSshd;
  beforeAll(async () => {
    if (!pre.skip) h = await startSshd();
  });
  afterAll(() => h?.stop());
  afterEach(() => {
    const left = oomlabContainers();
    removeContainers(left);
    expect(left).toEqual([]);
  });

  it.skipIf(pre.skip)('docker-growing-allocator: OOMKilled=true, exit 137, the report names /docker/<id>', async () => {
    const t = await connectTestHost(h);
    try {
      const r = await runBundled(t, 'docker-growing-allocator', { limit: '40Mi' });
      expect(r.outcome, whyNot(r)).toBe('passed');
      expectContainerKill(r, 'alloc');
      expect(of(r.events, 'run-start')[0]!.host.host).toMatch(/^root@127\.0\.0\.1:\d+$/);
      expect(of(r.events, 'status').pop()).toMatchObject({ phase: 'exited', oomKilled: true, exitCode: 137 });
      expect(of(r.events, 'workload-exit')[0]).toMatchObject({ workload: 'alloc', signal: 'KILL', oomKilled: true });
    } finally {
      await t.close();
    }
  });

  it.skipIf(pre.skip)('when the SSH link drops, the keeper on the host removes the container', async () => {
    const t = await connectTestHost(h);
    const facts = await probeHost(t);
    const target = createDockerTarget(t, facts, { runId: `ssh-drop-${process.pid}`, limitBytes: 32 * 1024 * 1024, appVersion: 'test', docker: { mode: 'exec' } });
    try {
      await target.create();
      expect(containerExists(target.name)).toBe(true);
      const sessions = h.sessionPids();
      expect(sessions.length).toBeGreaterThan(0);
      for (const pid of sessions) process.kill(pid, 'SIGKILL');
      await until(`${target.name} removed after the link dropped`, () => !containerExists(target.name), 20_000);
    } finally {
      removeContainers([target.name]);
      await t.close().catch(() => {});
    }
  });
});
