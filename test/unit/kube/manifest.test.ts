import { describe, expect, it } from 'vitest';
import { namespaceManifest, podManifest, podNameFor } from '../../../electron/lab/kube/manifest';
import { Kubectl, kubectlConfig, kubectlFailure } from '../../../electron/lab/kube/kubectl';
import type { HostFacts } from '../../../electron/lab/host/facts';

const base = { name: 'oomlab-r1', namespace: 'oomlab', runId: 'r1', image: 'oomlab/stress:abc', imagePullPolicy: 'Never' as const, restartPolicy: 'Always' as const, memoryLimit: 128974848, lifetimeSec: 600, createdAt: '2026-01-01T00:00:00Z', holder: 'k3s', appVersion: '1.0.0', leaseExpires: '2026-01-01T00:02:00Z' };

describe('pod manifest', () => {
  it('labels it as ours, limits memory, idles PID 1, ends by itself', () => {
    const m = podManifest(base) as any;
    expect(m.metadata.labels).toEqual({ oomlab: '1', 'oomlab.run': 'r1' });
    expect(JSON.parse(m.metadata.annotations['oomlab.owner'])).toEqual({ marker: 'oomlab', runId: 'r1', name: 'oomlab-r1', kind: 'pod', holder: 'k3s', createdAt: '2026-01-01T00:00:00Z', appVersion: '1.0.0' });
    expect(m.metadata.annotations['oomlab.lease-expires']).toBe('2026-01-01T00:02:00Z');
    expect(m.spec.containers[0]).toMatchObject({ name: 'lab', image: 'oomlab/stress:abc', imagePullPolicy: 'Never', command: ['sleep', '600'], resources: { limits: { memory: '123Mi' } } });
    expect(m.spec.containers[0].resources.requests).toBeUndefined(); // the API server defaults it to the limit
    expect(m.spec).toMatchObject({ restartPolicy: 'Always', activeDeadlineSeconds: 600, terminationGracePeriodSeconds: 2 });
  });
  it('requests, cpu, a command, a node', () => {
    const m = podManifest({ ...base, memoryRequest: 64 * 1024 * 1024, cpuRequest: '250m', cpuLimit: '1', command: ['stress', '--vm', '1'], nodeHostname: 'k3s' }) as any;
    expect(m.spec.containers[0].resources).toEqual({ limits: { memory: '123Mi', cpu: '1' }, requests: { memory: '64Mi', cpu: '250m' } });
    expect(m.spec.containers[0].command).toEqual(['stress', '--vm', '1']);
    expect(m.spec.nodeSelector).toEqual({ 'kubernetes.io/hostname': 'k3s' });
  });
  it('refuses what the API server would, naming the field', () => {
    expect(() => podManifest({ ...base, namespace: 'Bad_NS' })).toThrow(/namespace: "Bad_NS"/);
    expect(() => podManifest({ ...base, image: '-rm' })).toThrow(/image: "-rm"/);
    expect(() => podManifest({ ...base, cpuRequest: 'lots' })).toThrow(/cpu request/);
    expect(() => podManifest({ ...base, memoryRequest: base.memoryLimit + 1 })).toThrow(/above the memory limit/);
    expect(podNameFor('20260101-120000-ab_C.d')).toBe('oomlab-20260101-120000-ab-c-d');
    expect(namespaceManifest('oomlab', 'r1')).toEqual({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'oomlab', labels: { oomlab: '1' }, annotations: { 'oomlab.created-by': 'r1' } } });
  });
});

describe('kubectl command lines', () => {
  const facts = { root: true, sudo: false, kubectl: 'k3s kubectl', kubeconfig: '/etc/rancher/k3s/k3s.yaml', tools: {} } as unknown as HostFacts;
  it('k3s kubectl with the probe\'s kubeconfig, or the user\'s', () => {
    const k = new Kubectl({ label: 'h' } as never, facts, kubectlConfig(facts, {}, 'h'));
    expect(k.argv(['get', 'pods'])).toEqual(['k3s', 'kubectl', '--kubeconfig', '/etc/rancher/k3s/k3s.yaml', 'get', 'pods']);
    expect(kubectlConfig(facts, { kubeconfig: '/root/kc', kubectl: '/opt/kubectl' }, 'h')).toEqual({ bin: '/opt/kubectl', kubeconfig: '/root/kc' });
    expect(() => kubectlConfig(facts, { kubeconfig: 'relative' }, 'h')).toThrow(/absolute path on h/);
    expect(() => kubectlConfig({ ...facts, kubectl: null, tools: {} } as HostFacts, {}, 'h')).toThrow(/neither kubectl nor k3s/);
  });
  it('kubectl errors: the API reason and its words', () => {
    expect(kubectlFailure('Error from server (NotFound): namespaces "oomlab" not found\n')).toEqual({ reason: 'NotFound', message: 'Error from server (NotFound): namespaces "oomlab" not found' });
    expect(kubectlFailure('The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n').reason).toBeNull();
    // Real stderr of kubectl 1.x with no API server (pasted from this machine): five klog lines, then its own.
    const klog = 'E1202 15:47:51.092574   21964 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: Get \\"http://localhost:8080/api?timeout=32s\\": dial tcp 127.0.0.1:8080: connect: connection refused"\n';
    const refused = `${klog.repeat(5)}The connection to the server localhost:8080 was refused - did you specify the right host or port?\n`;
    expect(kubectlFailure(refused).message).toBe('The connection to the server localhost:8080 was refused - did you specify the right host or port?');
    expect(kubectlFailure(klog).message).toMatch(/^E1202 .*connection refused"$/);
  });
});
