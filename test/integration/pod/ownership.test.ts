// The pod sweep and cleanup remove only what the lab made (issue 13 item 9):
// a live run's pod on another node survives (leases are annotations on the
// pod, seen by every sweep whatever node it runs on), a crashed run's pod
// does not; a namespace the lab made is removed only when nothing else lives
// there; a create that fails because the name is taken leaves that pod.
// Real kubectl against the fake API server (test/fakes/kube-apiserver/).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { HostFacts } from '../../../electron/lab/host/facts';
import { probeHost } from '../../../electron/lab/host/probe';
import { ensureStressImage } from '../../../electron/lab/docker/image';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createPodTarget } from '../../../electron/lab/targets/pod';
import { sweepPodLeftovers } from '../../../electron/lab/targets/pod-sweep';
import { startFakeCluster, type FakeCluster } from '../../fakes/kube-apiserver/index';
import { describeWithPods } from './helpers';

const MIB = 1024 * 1024;

describeWithPods('the pod sweep and cleanup touch only what the lab made', () => {
  let cluster: FakeCluster;
  let facts: HostFacts;
  let image = '';
  const kc = (args: string[], input?: string) => {
    const p = promisify(execFile)('kubectl', ['--kubeconfig', cluster.kubeconfig, ...args], { encoding: 'utf8' });
    if (input !== undefined) p.child.stdin!.end(input);
    return p;
  };
  const create = (o: object) => kc(['create', '--validate=false', '-f', '-'], JSON.stringify(o));
  const exists = (kind: 'pod' | 'namespace' | 'configmap', name: string, ns?: string) => cluster.store.get(`${kind}s` as 'pods', kind === 'namespace' ? null : (ns ?? null), name) !== undefined;
  /** A pod as a lab run makes it: run label, owner record and lease annotations. */
  const labPod = (ns: string, runId: string, holder: string, leaseExpires: Date) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `oomlab-${runId}`,
      namespace: ns,
      labels: { oomlab: '1', 'oomlab.run': runId },
      annotations: {
        'oomlab.owner': JSON.stringify({ marker: 'oomlab', runId, name: `oomlab-${runId}`, kind: 'pod', holder, createdAt: new Date().toISOString(), appVersion: 'test' }),
        'oomlab.lease-expires': leaseExpires.toISOString(),
      },
    },
    // Pinned to the other node: it stays Pending here, as a pod of that node would be to this one.
    spec: { terminationGracePeriodSeconds: 1, nodeSelector: { 'kubernetes.io/hostname': holder }, containers: [{ name: 'lab', image, imagePullPolicy: 'Never', command: ['sleep', '60'] }] },
  });
  const labNamespace = (name: string, runId: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { oomlab: '1' }, annotations: { 'oomlab.created-by': runId } } });
  const sweep = async (leftAlone: string[] = []) => {
    const t = new LocalTransport();
    try {
      return await sweepPodLeftovers(t, facts, { kubeconfig: cluster.kubeconfig, onLeftAlone: (w) => leftAlone.push(w) });
    } finally {
      await t.close();
    }
  };

  beforeAll(async () => {
    const t = new LocalTransport();
    try {
      facts = await probeHost(t);
      image = (await ensureStressImage(t, facts)).tag;
      cluster = await startFakeCluster({ pauseImage: image });
    } finally {
      await t.close();
    }
  }, 300_000);
  afterAll(async () => {
    await cluster?.close();
  });

  it("another node's live run keeps its pod; a crashed run's pod and the empty namespace it made go", async () => {
    const ns = `oomlab-x${randomBytes(3).toString('hex')}`;
    await create(labNamespace(ns, 'live-run'));
    const live = labPod(ns, `live-${randomBytes(3).toString('hex')}`, 'node-b', new Date(Date.now() + 10 * 60_000));
    const crashed = labPod(ns, `crashed-${randomBytes(3).toString('hex')}`, 'node-b', new Date(Date.now() - 60_000));
    await create(live);
    await create(crashed);
    const removed = await sweep();
    expect(exists('pod', live.metadata.name, ns)).toBe(true);
    expect(exists('pod', crashed.metadata.name, ns)).toBe(false);
    expect(removed).toEqual([`pod ${ns}/${crashed.metadata.name}`]);
    await kc(['delete', 'pod', live.metadata.name, '-n', ns, '--wait=true']);
    expect(await sweep()).toEqual([`namespace ${ns}`]);
    expect(exists('namespace', ns)).toBe(false);
  });

  it("a live run's pod carries its owner record and renews its lease while the run lives", async () => {
    const t = new LocalTransport();
    const runId = `renew-${randomBytes(3).toString('hex')}`;
    const ns = `oomlab-z${randomBytes(3).toString('hex')}`;
    const target = createPodTarget(t, facts, { runId, limitBytes: 32 * MIB, appVersion: 'test', pod: { kubeconfig: cluster.kubeconfig, namespace: ns } });
    try {
      await target.create();
      const annotations = () => cluster.store.get('pods', ns, target.name)!.metadata.annotations as Record<string, string>;
      expect(JSON.parse(annotations()['oomlab.owner']!)).toMatchObject({ marker: 'oomlab', runId, name: target.name, kind: 'pod', holder: cluster.nodeName });
      const first = annotations()['oomlab.lease-expires']!;
      expect(Date.parse(first)).toBeGreaterThan(Date.now());
      // Renewed every 30 s through kubectl annotate (a PATCH).
      const end = Date.now() + 45_000;
      while (annotations()['oomlab.lease-expires'] === first) {
        if (Date.now() > end) throw new Error('the lease was not renewed within 45 s');
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(Date.parse(annotations()['oomlab.lease-expires']!)).toBeGreaterThan(Date.parse(first));
    } finally {
      await target.destroy();
      await t.close();
    }
    expect(exists('pod', target.name, ns)).toBe(false);
    expect(exists('namespace', ns)).toBe(false);
  }, 90_000);

  it('a namespace the lab made survives while other objects live there', async () => {
    const ns = `oomlab-y${randomBytes(3).toString('hex')}`;
    await create(labNamespace(ns, 'gone-run'));
    await create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'user-config', namespace: ns }, data: { a: 'b' } });
    const leftAlone: string[] = [];
    expect(await sweep(leftAlone)).toEqual([]);
    expect(exists('namespace', ns)).toBe(true);
    expect(exists('configmap', 'user-config', ns)).toBe(true);
    expect(leftAlone).toContain(`namespace ${ns}: not empty (configmap/user-config), left alone`);
    await kc(['delete', 'namespace', ns, '--wait=true']);
  });

  it('a create that fails because the pod name is taken leaves that pod and namespace, also when cleanup then destroys', async () => {
    const runId = `taken-${randomBytes(3).toString('hex')}`;
    const ns = `user-${randomBytes(3).toString('hex')}`;
    await create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    await create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: `oomlab-${runId}`, namespace: ns }, spec: { terminationGracePeriodSeconds: 1, nodeSelector: { 'kubernetes.io/hostname': 'node-b' }, containers: [{ name: 'app', image, imagePullPolicy: 'Never', command: ['sleep', '60'] }] } });
    const t = new LocalTransport();
    const spec = { runId, limitBytes: 32 * MIB, appVersion: 'test', pod: { kubeconfig: cluster.kubeconfig, namespace: ns } };
    try {
      const target = createPodTarget(t, facts, spec);
      await expect(target.create()).rejects.toThrow(/already exists/);
      // The runner cleans up after a failed create, and a fresh instance after a reconnect does too.
      await target.destroy();
      await createPodTarget(t, facts, spec).destroy();
    } finally {
      await t.close();
    }
    expect(exists('pod', `oomlab-${runId}`, ns)).toBe(true);
    expect(exists('namespace', ns)).toBe(true);
    await kc(['delete', 'namespace', ns, '--wait=true']);
  });
});
