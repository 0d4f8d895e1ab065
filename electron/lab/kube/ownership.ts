// The lab's marks on Kubernetes objects, read back: whose a pod is (its owner
// record annotation), whether a live run still holds it (its lease annotation,
// renewed while the run lives, so a sweep on any node sees it), and what lives
// in a namespace besides what the cluster puts into every one. Pure.

import { LABEL_RUN, LEASE_ANNOTATION, OWNER_ANNOTATION } from './manifest';

/** A live run renews its pods' leases this often. */
export const LEASE_RENEW_MS = 30_000;
/** A lease not renewed for this long has expired (generous: the clocks of the machines running the lab may differ). */
export const LEASE_TTL_MS = 120_000;

export interface PodOwner {
  marker: 'oomlab';
  runId: string;
  name: string;
  kind: 'pod';
  holder: string;
  createdAt: string;
  appVersion: string;
}

/** The lease expiry a run writes at `nowMs`. */
export function leaseExpiry(nowMs: number): string {
  return new Date(nowMs + LEASE_TTL_MS).toISOString();
}

/** The pod's owner record, if it is the lab's and names this very pod and its run label; else null. */
export function podOwner(pod: { name: string; labels: Record<string, string>; annotations: Record<string, string> }): PodOwner | null {
  const raw = pod.annotations[OWNER_ANNOTATION];
  if (!raw) return null;
  let o: Partial<PodOwner>;
  try {
    o = JSON.parse(raw) as Partial<PodOwner>;
  } catch {
    return null;
  }
  if (o.marker !== 'oomlab' || o.kind !== 'pod' || o.name !== pod.name || typeof o.runId !== 'string' || o.runId !== pod.labels[LABEL_RUN]) return null;
  return o as PodOwner;
}

/** True while the pod's lease has not expired at `nowMs`. */
export function leaseHeld(annotations: Record<string, string>, nowMs: number): boolean {
  const t = Date.parse(annotations[LEASE_ANNOTATION] ?? '');
  return Number.isFinite(t) && t > nowMs;
}

interface ObjectRef {
  kind: string;
  name: string;
  type: string | null;
  serviceAccount: string | null;
}

/** `kubectl get <types> -n NS -o json` -> kind/name of each item. */
export function parseObjectRefs(text: string): ObjectRef[] {
  const o = JSON.parse(text) as { items?: Array<{ kind?: string; type?: string; metadata?: { name?: string; annotations?: Record<string, string> } }> };
  return (o.items ?? []).map((i) => ({
    kind: i.kind ?? '?',
    name: i.metadata?.name ?? '?',
    type: i.type ?? null,
    serviceAccount: i.metadata?.annotations?.['kubernetes.io/service-account.name'] ?? null,
  }));
}

/** What the cluster itself puts into every namespace (or says about what happened there). */
function isClusterMade(r: ObjectRef): boolean {
  if (r.kind === 'Event') return true;
  if (r.kind === 'ConfigMap' && r.name === 'kube-root-ca.crt') return true;
  if (r.kind === 'ServiceAccount' && r.name === 'default') return true;
  return r.kind === 'Secret' && r.type === 'kubernetes.io/service-account-token' && r.serviceAccount === 'default';
}

/** Everything else in the namespace, as kind/name (e.g. configmap/settings). */
export function foreignContent(refs: readonly ObjectRef[]): string[] {
  return refs.filter((r) => !isClusterMade(r)).map((r) => `${r.kind.toLowerCase()}/${r.name}`);
}
