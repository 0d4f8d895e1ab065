// The docker target driver on this host's dockerd: what it creates, how its
// workloads are stopped and capped, and every way its container is removed
// (destroy, a fresh object after a reconnect, the keeper when the link goes,
// the sweep by label).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeAll, expect, it } from 'vitest';
import type { HostFacts } from '../../../electron/lab/host/facts';
import { probeHost } from '../../../electron/lab/host/probe';
import { measureHostClock } from '../../../electron/lab/sampler/clock';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createDockerTarget, type DockerTarget } from '../../../electron/lab/targets/docker';
import { sweepDockerLeftovers } from '../../../electron/lab/targets/docker-sweep';
import { createTarget } from '../../../electron/lab/targets/factory';
import { UnsupportedKnobError, type TargetSpec } from '../../../electron/lab/targets/target';
import type { LabEvent } from '../../../electron/lab/events';
import { containerExists, describeWithDocker, of, oomlabContainers, removeContainers, until } from './helpers';

const MIB = 1024 * 1024;
let seq = 0;
const spec = (extra: Partial<TargetSpec> = {}): TargetSpec => ({
  runId: `dt-${process.pid}-${Date.now().toString(36)}-${seq++}`,
  limitBytes: 32 * MIB,
  appVersion: 'test',
  docker: { mode: 'exec' },
  ...extra,
});

describeWithDocker('the docker target driver', () => {
  let facts: HostFacts;
  const made: string[] = [];
  beforeAll(async () => {
    const t = new LocalTransport();
    facts = await probeHost(t);
    await t.close();
  });
  afterEach(() => {
    removeContainers(made.splice(0));
    const left = oomlabContainers();
    removeContainers(left);
    expect(left).toEqual([]);
  });

  it('creates a labelled, limited, network-less container whose cgroup it found, and removes it', async () => {
    const t = new LocalTransport();
    const target = createDockerTarget(t, facts, spec({ docker: { mode: 'main' } }));
    made.push(target.name);
    try {
      await target.create();
      const inspect = JSON.parse(spawnSync('docker', ['inspect', target.name], { encoding: 'utf8' }).stdout)[0];
      expect(inspect.Config.Labels).toMatchObject({ oomlab: '1', 'oomlab.run': target.name.slice('oomlab-'.length), 'oomlab.mode': 'main' });
      expect(inspect.Config.Labels['oomlab.created']).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(inspect.HostConfig).toMatchObject({ Memory: 32 * MIB, MemorySwap: 32 * MIB, NetworkMode: 'none' });
      expect(target.path).toBe(`/sys/fs/cgroup/memory/docker/${target.containerId}`);
      expect(target.hierarchyPath).toBe(`/docker/${target.containerId}`);
      expect(target.cgroupKind).toBe('cgroup-v1');
      expect(target.image).toMatch(/^oomlab\/stress:[0-9a-f]{12}$/);
      const s = await target.readSample();
      expect(s.limitBytes).toBe(32 * MIB);
      expect((await target.listProcesses()).map((p) => p.pid)).toContain(target.initPid);
      await target.destroy();
      expect(containerExists(target.name)).toBe(false);
      expect(existsSync(target.path)).toBe(false);
      await target.destroy(); // idempotent
    } finally {
      await t.close();
    }
  });

  it('limit knob: docker update moves --memory (and the pinned swap) on the live cgroup; others are refused', async () => {
    const t = new LocalTransport();
    const target = createDockerTarget(t, facts, spec());
    made.push(target.name);
    try {
      await target.create();
      await target.setKnob('limit', 48 * MIB);
      expect((await target.readSample()).limitBytes).toBe(48 * MIB);
      const hc = JSON.parse(spawnSync('docker', ['inspect', '--format', '{{json .HostConfig}}', target.name], { encoding: 'utf8' }).stdout);
      expect(hc).toMatchObject({ Memory: 48 * MIB, MemorySwap: 48 * MIB });
      await expect(target.setKnob('oom-kill-disable', true)).rejects.toThrow(UnsupportedKnobError);
      await expect(target.setKnob('limit', null)).rejects.toThrow(/at least 6 MiB/);
    } finally {
      await target.destroy();
      await t.close();
    }
  });

  it('a stopped exec workload leaves nothing in its leaf; a capped main workload ends the container', async () => {
    const t = new LocalTransport();
    const clock = await measureHostClock(t);
    const ctx = { transport: t, facts, clock };
    const events: LabEvent[] = [];
    const exec = createDockerTarget(t, facts, spec({ limitBytes: 64 * MIB }));
    const main = createDockerTarget(t, facts, spec({ limitBytes: 64 * MIB, docker: { mode: 'main' } }));
    made.push(exec.name, main.name);
    try {
      await exec.create();
      const h = exec.startWorkload(ctx, 'hold', { kind: 'stress', vm: 2, vmBytes: 4 * MIB, vmKeep: true, timeCapSec: 60, oomScoreAdj: 300 }, (e) => events.push(e));
      const st = await h.started;
      expect(st.verifiedMember).toBe(true);
      expect(st.cgroup).toBe(`${exec.hierarchyPath}/wl-hold`);
      // Written from the host before the workload ran (lowering would need CAP_SYS_RESOURCE, which
      // a container never has and this test machine lacks too), inherited by stress's workers.
      expect(readFileSync(`/proc/${st.pid}/oom_score_adj`, 'utf8').trim()).toBe('300');
      expect(of(events, 'warning')).toEqual([]);
      const leaf = `${exec.path}/wl-hold/cgroup.procs`;
      // stress and its two workers, all in the leaf, all host pids.
      await until('stress and its workers in the leaf', () => spawnSync('cat', [leaf], { encoding: 'utf8' }).stdout.trim().split('\n').length >= 3);
      const x = await h.stop();
      expect(x).toMatchObject({ signal: 'KILL', oomKilled: false, stopped: true });
      expect(spawnSync('cat', [leaf], { encoding: 'utf8' }).stdout.trim()).toBe('');
      expect(of(events, 'status').pop()).toMatchObject({ phase: 'running' });

      await main.create();
      const m = main.startWorkload(ctx, 'capped', { kind: 'stress', vm: 1, vmBytes: 4 * MIB, vmKeep: true, timeCapSec: 2 }, (e) => events.push(e));
      expect((await m.started).pid).toBe(main.initPid);
      const mx = await m.exited;
      expect(mx).toMatchObject({ signal: 'KILL', oomKilled: false, timeCapHit: true });
      expect(of(events, 'status').pop()).toMatchObject({ name: main.name, phase: 'exited', oomKilled: false, exitCode: 137 });
    } finally {
      await exec.destroy();
      await main.destroy();
      await t.close();
    }
  });

  it('a fresh object for the same run removes the container (the runner\'s cleanup after a reconnect)', async () => {
    const t = new LocalTransport();
    const s = spec();
    const target = createTarget(t, facts, s) as DockerTarget;
    made.push(target.name);
    try {
      await target.create();
      await createTarget(t, facts, s).destroy();
      expect(containerExists(target.name)).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('the keeper removes the container when the engine\'s channels close (link lost)', async () => {
    const t = new LocalTransport();
    const target = createDockerTarget(t, facts, spec());
    made.push(target.name);
    await target.create();
    expect(containerExists(target.name)).toBe(true);
    await t.close(); // every channel sees EOF, as when an SSH link drops
    await until(`${target.name} removed by its keeper`, () => !containerExists(target.name), 20_000);
  });

  it('the sweep removes labelled containers except those it is told to keep', async () => {
    const t = new LocalTransport();
    const a = createDockerTarget(t, facts, spec());
    const b = createDockerTarget(t, facts, spec());
    made.push(a.name, b.name);
    try {
      await a.create();
      await b.create();
      // Both runs are alive (their leases are held): a sweep leaves them alone.
      expect(await sweepDockerLeftovers(t, facts, { keep: [a.name] })).toEqual([]);
      expect(containerExists(b.name)).toBe(true);
      // force takes live runs too, but never a kept one.
      const removed = await sweepDockerLeftovers(t, facts, { keep: [a.name], force: true });
      expect(removed).toEqual([`container ${b.name}`]);
      expect(containerExists(a.name)).toBe(true);
      expect(containerExists(b.name)).toBe(false);
      await expect(sweepDockerLeftovers(t, facts, { keep: ['web'] })).rejects.toThrow(/not an oomlab container name/);
    } finally {
      await a.destroy();
      await t.close();
    }
  });

  it('says plainly what is wrong: an image not on the host, a limit docker refuses', async () => {
    const t = new LocalTransport();
    try {
      const target = createDockerTarget(t, facts, spec({ docker: { image: 'oomlab/not-here:1' } }));
      made.push(target.name);
      await expect(target.create()).rejects.toThrow(/^local: image oomlab\/not-here:1 is not on the host \(the lab does not pull/);
      expect(containerExists(target.name)).toBe(false);
      expect(() => createDockerTarget(t, facts, spec({ limitBytes: 4 * MIB }))).toThrow(/below Docker's minimum of 6 MiB/);
      expect(() => createDockerTarget(t, facts, spec({ limitBytes: null }))).toThrow(/needs a memory limit/);
      expect(() => createDockerTarget(t, facts, spec({ docker: { image: '--privileged' } }))).toThrow(/not an image reference/);
    } finally {
      await t.close();
    }
  });
});
