// The pod target through a real OpenSSH server on 127.0.0.1 (the engine's SSH
// path): kubectl runs in the sshd session on the "node", against the fake API
// server, and the workloads are started there through the runtime's exec.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { connectTestHost, requireOrSkip, startSshd, type TestSshd } from '../../helpers/sshd';
import { probeHost } from '../../../electron/lab/host/probe';
import { ensureStressImage } from '../../../electron/lab/docker/image';
import { loadScenario } from '../../../electron/lab/scenario/load';
import { runScenario } from '../../../electron/lab/scenario/runner';
import { BUNDLED_SCENARIO_DIR } from '../../../electron/lab/session/scenario-library';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { startFakeCluster, type FakeCluster } from '../../fakes/kube-apiserver/index';
import { oomlabContainers, removeContainers } from '../docker/helpers';
import { describeWithPods, kubepodsDirs, podDirs } from './helpers';

const pre = requireOrSkip(['root', 'sshd']);
const of = <K extends LabEvent['kind']>(events: readonly LabEvent[], kind: K): Array<EventOf<K>> => events.filter((e): e is EventOf<K> => e.kind === kind);

describeWithPods('pod target over a real sshd', () => {
  let h: TestSshd;
  let cluster: FakeCluster;
  beforeAll(async () => {
    if (pre.skip) return;
    h = await startSshd();
    const t = new LocalTransport();
    try {
      cluster = await startFakeCluster({ pauseImage: (await ensureStressImage(t, await probeHost(t))).tag, capacityBytes: 2041888 * 1024 });
    } finally {
      await t.close();
    }
  }, 300_000);
  afterEach(() => {
    const left = oomlabContainers();
    removeContainers(left);
    expect(left).toEqual([]);
    expect(podDirs()).toEqual([]);
  });
  afterAll(async () => {
    await cluster?.close();
    h?.stop();
    expect(kubepodsDirs()).toEqual([]);
  });

  it.skipIf(pre.skip)('pod-two-workers-123mi over SSH: the larger worker dies, traced to the pod, oom_score_adj 939', async () => {
    const t = await connectTestHost(h);
    try {
      // The sshd session does not carry the test's environment: name the kubeconfig as a user would.
      const facts = { ...(await probeHost(t)), kubeconfig: cluster.kubeconfig };
      const loaded = await loadScenario(`${BUNDLED_SCENARIO_DIR}pod-two-workers-123mi.yaml`);
      const r = await runScenario({ transport: t, facts, loaded, appVersion: 'test', onEvent: () => {}, sweep: false });
      expect(r.outcome, r.reason ?? '').toBe('passed');
      expect(of(r.events, 'run-start')[0]!.host.host).toMatch(/^root@127\.0\.0\.1:\d+$/);
      const k = of(r.events, 'oom-kill')[0]!;
      expect(k.workload).toBe('big');
      expect(k.report.memcg).toMatch(/^\/kubepods\/burstable\/pod[0-9a-f-]{36}$/);
      expect(of(r.events, 'action').some((a) => a.text.includes(`→ pod uid ${k.report.podUid} → pod oomlab/`))).toBe(true);
      expect(of(r.events, 'processes').flatMap((p) => p.processes).every((p) => p.oomScoreAdj === 939)).toBe(true);
    } finally {
      await t.close();
    }
  });
});
