// Images are untrusted input (issue 13, item 6): a workload in a pod's container
// must run with the container's own identity and confinement, exactly what the
// runtime's exec gives there (here the fake kubelet's runtime is docker, so
// `docker exec` is the reference), never with host root's capabilities; and the
// hostile image's planted links lead to no host file.
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LabEvent } from '../../../electron/lab/events';
import { probeHost } from '../../../electron/lab/host/probe';
import { ensureStressImage } from '../../../electron/lab/docker/image';
import { measureHostClock } from '../../../electron/lab/sampler/clock';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createPodTarget } from '../../../electron/lab/targets/pod';
import { startFakeCluster, type FakeCluster } from '../../fakes/kube-apiserver/index';
import { of, removeContainers } from '../docker/helpers';
import { buildHostileImage, CANARIES, confinementLines, dockerExecConfinement, hostCapEff, type HostileImage } from '../docker/hostile-image';
import { describeWithPods, podDirs } from './helpers';

const MIB = 1024 * 1024;

describeWithPods('a hostile image in a pod target', () => {
  let cluster: FakeCluster;
  let img: HostileImage;
  const saved = process.env.KUBECONFIG;
  beforeAll(async () => {
    const t = new LocalTransport();
    try {
      cluster = await startFakeCluster({ pauseImage: (await ensureStressImage(t, await probeHost(t))).tag, capacityBytes: 2041888 * 1024 });
    } finally {
      await t.close();
    }
    process.env.KUBECONFIG = cluster.kubeconfig;
    img = buildHostileImage();
  }, 300_000);
  afterAll(async () => {
    await cluster?.close();
    img?.remove();
    if (saved === undefined) delete process.env.KUBECONFIG;
    else process.env.KUBECONFIG = saved;
  });

  it('the workload is confined as the runtime\'s exec is (not host root), and no host file behind a planted link is touched', async () => {
    const before = img.canaryState();
    const t = new LocalTransport();
    const events: LabEvent[] = [];
    const facts = await probeHost(t);
    const target = createPodTarget(t, facts, { runId: `hp-${process.pid}-${Date.now().toString(36)}`, limitBytes: 64 * MIB, appVersion: 'test', pod: { image: img.tag } });
    try {
      const ctx = { transport: t, facts, clock: await measureHostClock(t) };
      target.attach(ctx, (e) => events.push(e));
      await target.create();
      const reference = dockerExecConfinement(target.containerId!);
      expect(reference.some((l) => /^confined CapEff: [0-9a-f]{16}$/.test(l))).toBe(true);
      expect(reference).not.toContain(`confined CapEff: ${hostCapEff()}`);

      const h = target.startWorkload(ctx, 'probe', { kind: 'stress', vm: 1, vmBytes: MIB, timeCapSec: 20 }, (e) => events.push(e));
      const exit = await h.exited;
      const out = of(events, 'workload-output').filter((e) => e.workload === 'probe').map((e) => e.line).join('\n');
      // The container's own identity and confinement, as its runtime's exec gives them.
      expect(confinementLines(out)).toEqual(reference);
      // Nothing on the host behind the planted links was created, written, truncated or read.
      expect(img.canaryState()).toEqual(before);
      expect(img.canaryContents()).toEqual(CANARIES);
      expect(of(events, 'error')).toEqual([]);
      expect(exit).toMatchObject({ code: 0, signal: null });
      const start = of(events, 'workload-start')[0]!;
      expect(start).toMatchObject({ verifiedMember: true });
      expect(start.note).toContain('docker exec');
    } finally {
      const uid = target.pod?.uid;
      await target.destroy();
      await t.close();
      // Nothing of this pod is left (only its own: other suites may share the daemon).
      const left = spawnSync('docker', ['ps', '--all', '--quiet', '--filter', `label=io.kubernetes.pod.name=${target.name}`], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
      removeContainers(left);
      expect(left).toEqual([]);
      if (uid) expect(podDirs().filter((d) => d.includes(uid))).toEqual([]);
    }
  }, 180_000);
});
