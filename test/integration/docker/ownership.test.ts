// The docker sweep and cleanup remove only containers the lab made (issue 13
// item 9): a container the user started from the lab's own image, or one that
// merely looks like ours, survives the sweep; a create that fails because the
// name is taken leaves the container that has it. Real dockerd.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { HostFacts } from '../../../electron/lab/host/facts';
import { probeHost } from '../../../electron/lab/host/probe';
import { ensureStressImage } from '../../../electron/lab/docker/image';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createDockerTarget } from '../../../electron/lab/targets/docker';
import { sweepDockerLeftovers } from '../../../electron/lab/targets/docker-sweep';
import { containerExists, describeWithDocker, removeContainers } from './helpers';

const MIB = 1024 * 1024;

describeWithDocker('the docker sweep and cleanup touch only what the lab made', () => {
  let facts: HostFacts;
  let image = '';
  const made: string[] = [];
  const userContainer = (name: string, labels: string[] = []) => {
    const r = spawnSync('docker', ['run', '--detach', '--name', name, ...labels.flatMap((l) => ['--label', l]), '--network', 'none', '--entrypoint', 'sleep', image, '120'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`docker run ${name}: ${r.stderr}`);
    made.push(name);
    return name;
  };
  beforeAll(async () => {
    const t = new LocalTransport();
    try {
      facts = await probeHost(t);
      image = (await ensureStressImage(t, facts)).tag;
    } finally {
      await t.close();
    }
  }, 300_000);
  afterEach(() => removeContainers(made.splice(0)));

  it("a container the user started from the lab's image, or with a lab-looking label, survives a sweep", async () => {
    const plain = userContainer(`mine-${randomBytes(3).toString('hex')}`);
    const lookalike = userContainer(`oomlab-mine-${randomBytes(3).toString('hex')}`, ['oomlab=1', `oomlab.run=mine`]);
    const t = new LocalTransport();
    const leftAlone: string[] = [];
    try {
      const removed = await sweepDockerLeftovers(t, facts, { onLeftAlone: (w) => leftAlone.push(w) });
      expect(removed).toEqual([]);
    } finally {
      await t.close();
    }
    expect(containerExists(plain)).toBe(true);
    expect(containerExists(lookalike)).toBe(true);
    expect(leftAlone).toContain(`container ${lookalike}: not ours, left alone (no owner record)`);
  });

  it('a create that fails because the name is taken leaves that container, also when cleanup then destroys', async () => {
    const runId = `taken-${randomBytes(3).toString('hex')}`;
    const theirs = userContainer(`oomlab-${runId}`);
    const t = new LocalTransport();
    try {
      const target = createDockerTarget(t, facts, { runId, limitBytes: 32 * MIB, appVersion: 'test', docker: { mode: 'exec' } });
      await expect(target.create()).rejects.toThrow(/already/);
      // The runner cleans up after a failed create, and a fresh instance after a reconnect does too.
      await target.destroy();
      await createDockerTarget(t, facts, { runId, limitBytes: 32 * MIB, appVersion: 'test', docker: { mode: 'exec' } }).destroy();
    } finally {
      await t.close();
    }
    expect(containerExists(theirs)).toBe(true);
  });
});
