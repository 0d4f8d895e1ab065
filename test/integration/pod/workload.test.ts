// A pod workload started through the runtime's exec keeps the wrapper's
// guarantees: it is in the container's cgroup before it runs, it dies at its
// time cap with every process of its group, and a stopped one dies with its
// channel, while the container's PID 1 lives on.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LabEvent } from '../../../electron/lab/events';
import { probeHost } from '../../../electron/lab/host/probe';
import { ensureStressImage } from '../../../electron/lab/docker/image';
import { measureHostClock } from '../../../electron/lab/sampler/clock';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createPodTarget } from '../../../electron/lab/targets/pod';
import { startFakeCluster, type FakeCluster } from '../../fakes/kube-apiserver/index';
import { of, removeContainers, until } from '../docker/helpers';
import { describeWithPods, podDirs } from './helpers';

const MIB = 1024 * 1024;
const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));

describeWithPods('pod workloads through the runtime\'s exec', () => {
  let cluster: FakeCluster;
  const saved = process.env.KUBECONFIG;
  beforeAll(async () => {
    const t = new LocalTransport();
    try {
      cluster = await startFakeCluster({ pauseImage: (await ensureStressImage(t, await probeHost(t))).tag, capacityBytes: 2041888 * 1024 });
    } finally {
      await t.close();
    }
    process.env.KUBECONFIG = cluster.kubeconfig;
  }, 300_000);
  afterAll(async () => {
    await cluster?.close();
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  });

  it('a capped workload dies at its cap with all its processes; a stopped one with its channel; PID 1 lives on', async () => {
    const t = new LocalTransport();
    const events: LabEvent[] = [];
    const facts = await probeHost(t);
    const target = createPodTarget(t, facts, { runId: `pw-${process.pid}-${Date.now().toString(36)}`, limitBytes: 64 * MIB, appVersion: 'test' });
    try {
      const ctx = { transport: t, facts, clock: await measureHostClock(t) };
      target.attach(ctx, (e) => events.push(e));
      await target.create();
      const procs = `${target.path}/cgroup.procs`;
      const members = () => readFileSync(procs, 'utf8').trim().split('\n').filter(Boolean).map(Number);

      const capped = target.startWorkload(ctx, 'capped', { kind: 'stress', vm: 2, vmBytes: 4 * MIB, vmKeep: true, timeCapSec: 2 }, (e) => events.push(e));
      const st = await capped.started;
      expect(st).toMatchObject({ verifiedMember: true, cgroup: target.containerHierarchy });
      expect(st.note).toMatch(/via docker exec/);
      // stress and its two workers, in the container's cgroup.
      await until('stress and its workers', () => members().filter((p) => p !== target.initPid).length >= 3);
      const workers = members().filter((p) => p !== target.initPid);
      expect(await capped.exited).toMatchObject({ signal: 'KILL', timeCapHit: true, oomKilled: false });
      expect(workers.filter(alive)).toEqual([]);

      const held = target.startWorkload(ctx, 'held', { kind: 'stress', vm: 1, vmBytes: 4 * MIB, vmKeep: true, timeCapSec: 60 }, (e) => events.push(e));
      await held.started;
      await until('stress and its worker', () => members().filter((p) => p !== target.initPid).length >= 2);
      const heldPids = members().filter((p) => p !== target.initPid);
      expect(await held.stop()).toMatchObject({ signal: 'KILL', stopped: true, oomKilled: false });
      await until('the stopped workload gone', () => heldPids.filter(alive).length === 0);
      expect(members()).toEqual([target.initPid]);
      expect(of(events, 'error')).toEqual([]);
    } finally {
      const uid = target.pod?.uid;
      await target.destroy();
      await t.close();
      const left = spawnSync('docker', ['ps', '--all', '--quiet', '--filter', `label=io.kubernetes.pod.name=${target.name}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
      removeContainers(left);
      expect(left).toEqual([]);
      if (uid) expect(podDirs().filter((d) => d.includes(uid))).toEqual([]);
    }
  }, 180_000);
});
