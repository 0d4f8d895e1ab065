import { describe, expect, it } from 'vitest';
import { foreignContent, leaseExpiry, leaseHeld, LEASE_TTL_MS, parseObjectRefs, podOwner } from '../../../electron/lab/kube/ownership';

const owner = { marker: 'oomlab', runId: 'r1', name: 'oomlab-r1', kind: 'pod', holder: 'node-a', createdAt: '2026-01-01T00:00:00Z', appVersion: '1' };
const pod = (annotations: Record<string, string>, labels: Record<string, string> = { 'oomlab.run': 'r1' }, name = 'oomlab-r1') => ({ name, labels, annotations });

describe('the lab marks on Kubernetes objects', () => {
  it('a pod is ours only with an owner record naming it and its run label', () => {
    expect(podOwner(pod({ 'oomlab.owner': JSON.stringify(owner) }))).toEqual(owner);
    expect(podOwner(pod({}))).toBeNull();
    expect(podOwner(pod({ 'oomlab.owner': '{not json' }))).toBeNull();
    expect(podOwner(pod({ 'oomlab.owner': JSON.stringify(owner) }, { 'oomlab.run': 'r2' }))).toBeNull();
    expect(podOwner(pod({ 'oomlab.owner': JSON.stringify(owner) }, { 'oomlab.run': 'r1' }, 'oomlab-other'))).toBeNull();
    expect(podOwner(pod({ 'oomlab.owner': JSON.stringify({ ...owner, marker: 'x' }) }))).toBeNull();
  });
  it('a lease holds until its expiry, and a bad one never holds', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(Date.parse(leaseExpiry(now)) - now).toBe(LEASE_TTL_MS);
    expect(leaseHeld({ 'oomlab.lease-expires': leaseExpiry(now) }, now + LEASE_TTL_MS - 1)).toBe(true);
    expect(leaseHeld({ 'oomlab.lease-expires': leaseExpiry(now) }, now + LEASE_TTL_MS)).toBe(false);
    expect(leaseHeld({ 'oomlab.lease-expires': 'soon' }, now)).toBe(false);
    expect(leaseHeld({}, now)).toBe(false);
  });
  it('what the cluster puts into every namespace does not count as content', () => {
    const list = {
      items: [
        { kind: 'ConfigMap', metadata: { name: 'kube-root-ca.crt' } },
        { kind: 'ServiceAccount', metadata: { name: 'default' } },
        { kind: 'Secret', type: 'kubernetes.io/service-account-token', metadata: { name: 'default-token-x', annotations: { 'kubernetes.io/service-account.name': 'default' } } },
        { kind: 'Event', metadata: { name: 'oomlab-r1.17a' } },
        { kind: 'ConfigMap', metadata: { name: 'settings' } },
        { kind: 'Secret', type: 'Opaque', metadata: { name: 'db' } },
      ],
    };
    expect(foreignContent(parseObjectRefs(JSON.stringify(list)))).toEqual(['configmap/settings', 'secret/db']);
    expect(foreignContent(parseObjectRefs('{"kind":"List","items":[]}'))).toEqual([]);
  });
});
