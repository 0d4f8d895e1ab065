// The pod scenarios against the fake API server (test/fakes/kube-apiserver/:
// the one stand-in) driven by the REAL kubectl, with everything below it real:
// dockerd containers laid out by the fake kubelet under kubepods/burstable/
// pod<uid>, real cgroup limits, real OOM kills, the real kernel log.
// Which kubectl: the one on PATH (OOMLAB_KUBECTL_DIR puts another first, e.g.
// Debian's kubernetes-client 1.20 unpacked somewhere).
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { probeHost } from '../../../electron/lab/host/probe';
import { ensureStressImage } from '../../../electron/lab/docker/image';
import { loadScenario } from '../../../electron/lab/scenario/load';
import { runScenario, type RunResult } from '../../../electron/lab/scenario/runner';
import { BUNDLED_SCENARIO_DIR } from '../../../electron/lab/session/scenario-library';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { sweepLeftovers } from '../../../electron/lab/targets/sweep';
import { startFakeCluster, type FakeCluster } from '../../fakes/kube-apiserver/index';
import { oomlabContainers, removeContainers } from '../docker/helpers';
import { describeWithPods, kubepodsDirs, podDirs } from './helpers';

/** The lab image, built on this host: the fake's pause containers and a left-over pod run it. */
let pauseImage = '';
const of = <K extends LabEvent['kind']>(events: readonly LabEvent[], kind: K): Array<EventOf<K>> => events.filter((e): e is EventOf<K> => e.kind === kind);
/** The write-up's node: 2041888Ki of memory (seeds/001). */
const SEED_CAPACITY = 2041888 * 1024;

describeWithPods('pod scenarios: real kubectl, fake API server, real containers and kills', () => {
  let cluster: FakeCluster;
  const saved = { KUBECONFIG: process.env.KUBECONFIG, PATH: process.env.PATH };

  beforeAll(async () => {
    const t = new LocalTransport();
    try {
      const image = await ensureStressImage(t, await probeHost(t));
      pauseImage = image.tag;
      cluster = await startFakeCluster({ pauseImage: image.tag, capacityBytes: SEED_CAPACITY });
    } finally {
      await t.close();
    }
    process.env.KUBECONFIG = cluster.kubeconfig;
    if (process.env.OOMLAB_KUBECTL_DIR) process.env.PATH = `${process.env.OOMLAB_KUBECTL_DIR}:${process.env.PATH}`;
  }, 300_000);

  afterEach(() => {
    // Nothing of a run may stay: no pod, no namespace of ours, no container, no pod cgroup.
    const left = oomlabContainers();
    removeContainers(left);
    expect(left).toEqual([]);
    expect(podDirs()).toEqual([]);
    expect(cluster.store.list('pods', null).map((p) => p.metadata.name)).toEqual([]);
    expect(cluster.store.list('namespaces', null).map((n) => n.metadata.name).sort()).toEqual(['default', 'kube-system']);
  });

  afterAll(async () => {
    await cluster?.close();
    process.env.KUBECONFIG = saved.KUBECONFIG;
    process.env.PATH = saved.PATH;
    if (saved.KUBECONFIG === undefined) delete process.env.KUBECONFIG;
    // The kubelet's QoS cgroups went with it.
    expect(kubepodsDirs()).toEqual([]);
  });

  async function run(id: string, params: Record<string, string | number> = {}, allowLargeLimit = false): Promise<RunResult> {
    const t = new LocalTransport();
    try {
      const facts = await probeHost(t);
      expect(facts.kubeconfig).toBe(cluster.kubeconfig);
      const loaded = await loadScenario(`${BUNDLED_SCENARIO_DIR}${id}.yaml`, params);
      return await runScenario({ transport: t, facts, loaded, appVersion: 'test', onEvent: () => {}, sweep: false, allowLargeLimit });
    } finally {
      await t.close();
    }
  }

  it('pod-two-workers-123mi: the 100M worker dies under kubepods/burstable/pod<uid>, oom_score_adj 939 by the kubelet formula, traced to the pod', async () => {
    const r = await run('pod-two-workers-123mi');
    expect(r.outcome, `${r.reason} ${JSON.stringify(of(r.events, 'error'))}`).toBe('passed');

    const created = of(r.events, 'action').find((a) => a.text.startsWith('created pod oomlab/'))!;
    const [, ns, name, uid] = /^created pod (\S+?)\/(\S+) \(uid ([0-9a-f-]{36}), QoS Burstable\)/.exec(created.text)!;
    expect(ns).toBe('oomlab');

    // The kernel's report: the limit hit is the pod's cgroup, the victim's is the container's.
    const kills = of(r.events, 'oom-kill');
    expect(kills).toHaveLength(1);
    const k = kills[0]!;
    expect(k.workload).toBe('big');
    expect(k.report.comm).toBe('stress');
    expect(k.report.podUid).toBe(uid);
    expect(k.report.qosClass).toBe('burstable');
    expect(k.report.memcg).toBe(`/kubepods/burstable/pod${uid}`);
    expect(k.report.taskMemcg).toBe(`/kubepods/burstable/pod${uid}/${k.report.containerId}`);
    // The container's processes in the kernel's task table carry the kubelet's value.
    expect(k.report.tasks.filter((x) => x.name === 'stress').every((x) => x.oomScoreAdj === 939)).toBe(true);
    // Traced back from the uid to the pod's name and namespace with kubectl.
    expect(of(r.events, 'action').some((a) => a.text.includes(`→ pod uid ${uid} → pod ${ns}/${name} (QoS Burstable`) && a.text.endsWith(`container lab (id ${k.report.containerId!.slice(0, 12)})`))).toBe(true);

    // oom_score_adj: the arithmetic shown, and every container process read at 939.
    expect(of(r.events, 'action').some((a) => a.text.includes('1000 − ⌊1000 × 128974848 / 2090893312⌋ = 1000 − 61 = 939'))).toBe(true);
    expect(of(r.events, 'action').some((a) => /^oom_score_adj of container lab pid \d+ \(sleep\): 939, kubelet policy 939 ✓$/.test(a.text))).toBe(true);
    const rows = of(r.events, 'processes').filter((p) => p.cgroup === 'target').flatMap((p) => p.processes);
    expect(rows.some((p) => p.comm === 'stress')).toBe(true);
    expect(rows.every((p) => p.oomScoreAdj === 939)).toBe(true);
    for (const w of ['big', 'small']) expect(of(r.events, 'workload-start').find((s) => s.workload === w)).toMatchObject({ verifiedMember: true, cgroup: k.report.taskMemcg });

    // Samples at container and pod level, both limited to 123Mi.
    expect(of(r.events, 'sample').find((s) => s.cgroup === 'target')!.limitBytes).toBe(128974848);
    expect(of(r.events, 'sample').find((s) => s.cgroup === 'pod')!.limitBytes).toBe(128974848);
    // The pod stayed Running with no restart: PID 1 was not the victim.
    const last = of(r.events, 'status').filter((s) => s.subject === 'container').pop()!;
    expect(last).toMatchObject({ phase: 'running', restartCount: 0, oomKilled: false });
    // kubectl really talked to the fake: every call logged with its user agent.
    expect(cluster.requests.some((q) => q.method === 'POST' && q.url.startsWith('/api/v1/namespaces/oomlab/pods') && q.userAgent.startsWith('kubectl/'))).toBe(true);
    expect(readFileSync(cluster.logFile, 'utf8')).toContain(`DELETE /api/v1/namespaces/oomlab/pods/${name}`);
  });

  it('pod-crashloop-oomkilled: PID 1 is killed, OOMKilled 137, restarted, CrashLoopBackOff; each kill traced to the pod', async () => {
    const r = await run('pod-crashloop-oomkilled');
    expect(r.outcome, `${r.reason}`).toBe('passed');
    const ctr = of(r.events, 'status').filter((s) => s.subject === 'container');
    expect(ctr.some((s) => s.phase === 'terminated' && s.reason === 'OOMKilled' && s.exitCode === 137 && s.restartCount === 0)).toBe(true);
    expect(ctr.some((s) => s.phase === 'running' && s.restartCount === 1 && s.oomKilled && s.exitCode === 137)).toBe(true);
    const backoff = ctr.find((s) => s.reason === 'CrashLoopBackOff');
    expect(backoff).toMatchObject({ phase: 'waiting', exitCode: 137, oomKilled: true, restartCount: 1 });
    expect(backoff!.message).toMatch(/^back-off 10s restarting failed container=lab pod=oomlab-\S+_oomlab\([0-9a-f-]{36}\)/);
    expect(of(r.events, 'status').some((s) => s.subject === 'pod' && s.reason === 'BackOff' && s.message?.startsWith('Warning BackOff'))).toBe(true);
    const kills = of(r.events, 'oom-kill');
    expect(kills.length).toBeGreaterThanOrEqual(2);
    // Two different containers (a restart is a new container) of the same pod.
    expect(new Set(kills.map((k) => k.report.containerId)).size).toBe(kills.length);
    expect(new Set(kills.map((k) => k.report.podUid)).size).toBe(1);
    expect(kills.every((k) => k.report.comm === 'dd')).toBe(true);
    const traces = of(r.events, 'action').filter((a) => a.text.startsWith('kernel killed pid') && a.text.includes('→ pod oomlab/'));
    expect(traces.length).toBe(kills.length);
  });

  it('a pod no node can take is reported in plain words, and nothing is left', async () => {
    // More than this host has: the lab refuses that unless told it knows why (here: to reach the scheduler).
    const r = await run('pod-two-workers-123mi', { limit: '64Gi' }, true);
    expect(r.outcome).toBe('error');
    expect(r.reason).toMatch(/cannot be scheduled: 0\/1 nodes are available: 1 Insufficient memory\./);
  });

  it("the sweep deletes a crashed run's pod (owner record, lease run out) and the empty namespace the lab made, through the API", async () => {
    const kc = (args: string[], input?: string) => {
      const p = promisify(execFile)('kubectl', ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8' });
      if (input !== undefined) p.child.stdin!.end(input);
      return p;
    };
    await kc(['create', '--validate=false', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'oomlab', labels: { oomlab: '1' }, annotations: { 'oomlab.created-by': 'left-over' } } }));
    const owner = { marker: 'oomlab', runId: 'left-over', name: 'oomlab-left-over', kind: 'pod', holder: cluster.nodeName, createdAt: new Date().toISOString(), appVersion: 'test' };
    const annotations = { 'oomlab.owner': JSON.stringify(owner), 'oomlab.lease-expires': new Date(Date.now() - 1000).toISOString() };
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'oomlab-left-over', namespace: 'oomlab', labels: { oomlab: '1', 'oomlab.run': 'left-over' }, annotations }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'lab', image: pauseImage, imagePullPolicy: 'Never', command: ['sleep', '60'] }] } };
    await kc(['create', '--validate=false', '-f', '-'], JSON.stringify(pod));
    const t = new LocalTransport();
    try {
      const removed = await sweepLeftovers(t, await probeHost(t));
      expect(removed).toEqual(expect.arrayContaining(['pod oomlab/oomlab-left-over', 'namespace oomlab']));
    } finally {
      await t.close();
    }
  });

  it('real kubectl JSON for what the fake serves: kinds on list items, as from a real API server', async () => {
    // Not spawnSync: the fake serves from this very process.
    const out = await promisify(execFile)('kubectl', ['--kubeconfig', cluster.kubeconfig, 'get', 'nodes', '-o', 'json'], { encoding: 'utf8' });
    const list = JSON.parse(out.stdout) as { kind: string; items: Array<{ kind: string; status: { capacity: { memory: string } } }> };
    expect(list.kind).toBe('List');
    expect(list.items[0]!.kind).toBe('Node');
    expect(list.items[0]!.status.capacity.memory).toBe('2041888Ki');
  });
});
