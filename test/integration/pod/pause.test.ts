// A pause on a pod target freezes the pod's container cgroup (its v1 freezer
// twin, made by the runtime): pod-two-workers-123mi against the fake API
// server (the one named stand-in) with real kubectl, dockerd containers, real
// cgroups and kills. Paused between the steps for 3 s: frozen, flat rss, no
// kill; the kill after resume.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { probeHost } from '../../../electron/lab/host/probe';
import { ensureStressImage } from '../../../electron/lab/docker/image';
import { loadScenario } from '../../../electron/lab/scenario/load';
import { runScenario } from '../../../electron/lab/scenario/runner';
import { BUNDLED_SCENARIO_DIR } from '../../../electron/lab/session/scenario-library';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { startFakeCluster, type FakeCluster } from '../../fakes/kube-apiserver/index';
import { oomlabContainers, removeContainers } from '../docker/helpers';
import { describeWithPods, podDirs } from './helpers';
import { frozenSamples } from '../../helpers/pause-window';

const HOLD_MS = 3000;

describeWithPods('a pause on a pod target', () => {
  let cluster: FakeCluster;
  const saved = process.env.KUBECONFIG;
  beforeAll(async () => {
    const t = new LocalTransport();
    try {
      const image = await ensureStressImage(t, await probeHost(t));
      cluster = await startFakeCluster({ pauseImage: image.tag, capacityBytes: 2041888 * 1024 });
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

  it('freezes the container cgroup between the steps; the kill comes after resume', async () => {
    const t = new LocalTransport();
    const events: LabEvent[] = [];
    try {
      const facts = await probeHost(t);
      const loaded = await loadScenario(`${BUNDLED_SCENARIO_DIR}pod-two-workers-123mi.yaml`);
      const r = await runScenario({
        transport: t,
        facts,
        loaded,
        appVersion: 'test',
        sweep: false,
        onEvent: (e) => events.push(e),
        beforeStep: async (_i, control) => {
          await control.pause();
          await new Promise((res) => setTimeout(res, HOLD_MS)); // the pause itself
          await control.resume();
        },
      });
      const pause = events.find((e): e is EventOf<'pause'> => e.kind === 'pause')!;
      const resume = events.find((e): e is EventOf<'resume'> => e.kind === 'resume')!;
      expect(pause, JSON.stringify(events.filter((e) => e.kind === 'warning'))).toMatchObject({ frozen: true, warning: null });
      expect(pause.how).toMatch(/^freezer\.state on \/sys\/fs\/cgroup\/freezer\/kubepods\/.+/);
      const frozen = frozenSamples(events, pause, resume);
      expect(frozen.length).toBeGreaterThan(10);
      const rss = frozen.map((x) => x.rssBytes);
      expect(Math.max(...rss) - Math.min(...rss)).toBeLessThanOrEqual(facts.pageSize);
      expect(events.filter((e) => e.kind === 'oom-kill' && e.t < resume.t)).toEqual([]);
      expect(r.outcome, r.reason ?? '').toBe('passed');
    } finally {
      await t.close();
      const left = oomlabContainers();
      removeContainers(left);
      expect(left).toEqual([]);
      expect(podDirs()).toEqual([]);
    }
  }, 180_000);
});
