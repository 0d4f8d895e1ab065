// The pod (and namespace) the lab creates, as the JSON `kubectl create -f -`
// reads. Pure: validated values in, a manifest out.
//
// Marked as ours: labels oomlab=1 and oomlab.run=<runId>, so `oomlab cleanup`
// and the sweep on connect find them by label, and the owner record and lease
// as annotations (kube/ownership.ts), which every sweep reads whatever node it
// runs on. A namespace the lab creates carries oomlab.created-by=<runId>. PID 1 idles unless the scenario
// gives a command (workloads come in from the node side), and the pod carries
// activeDeadlineSeconds, so a pod the lab lost track of still ends.

import { formatQuantity } from './quantity';
import { LabError } from '../errors';

export const LABEL = 'oomlab';
export const LABEL_RUN = 'oomlab.run';
export const DEFAULT_NAMESPACE = 'oomlab';
export const CONTAINER_NAME = 'lab';
/** The pod's owner record (JSON, kube/ownership.ts PodOwner). */
export const OWNER_ANNOTATION = 'oomlab.owner';
/** Until when the run holds the pod (ISO time); the run renews it while it lives. */
export const LEASE_ANNOTATION = 'oomlab.lease-expires';
/** On a namespace the lab created: the run that created it. */
export const CREATED_BY_ANNOTATION = 'oomlab.created-by';

export type RestartPolicy = 'Always' | 'OnFailure' | 'Never';
export type PullPolicy = 'Always' | 'IfNotPresent' | 'Never';

export interface PodManifestInput {
  name: string;
  namespace: string;
  runId: string;
  image: string;
  imagePullPolicy: PullPolicy;
  /** The container's command; default: PID 1 sleeps for the pod's lifetime. */
  command?: string[];
  restartPolicy: RestartPolicy;
  /** Bytes; a limit without a request gets request = limit from the API server. */
  memoryLimit: number | null;
  memoryRequest?: number | null;
  cpuRequest?: string | null;
  cpuLimit?: string | null;
  /** Pins the pod to the node the lab observes (kubernetes.io/hostname). */
  nodeHostname?: string | null;
  lifetimeSec: number;
  createdAt: string;
  /** The node the run holds the pod from (owner record). */
  holder: string;
  appVersion: string;
  /** The lease's first expiry (ISO time). */
  leaseExpires: string;
}

export class ManifestError extends LabError {
  constructor(message: string) {
    super('input', message);
    this.name = 'ManifestError';
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?)?$/;
const CPU = /^(?:\d+(?:\.\d+)?|\d+m)$/;
const IMAGE = /^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/;

export function checkNamespace(ns: string, where = 'namespace'): string {
  if (!DNS_LABEL.test(ns)) throw new ManifestError(`${where}: ${JSON.stringify(ns)} is not a namespace name (lowercase letters, digits and "-", at most 63)`);
  return ns;
}

/** oomlab-<runId> as a DNS label: lowercase, "_" and "." become "-". */
export function podNameFor(runId: string): string {
  const name = `oomlab-${runId.toLowerCase().replace(/[_.]/g, '-')}`.replace(/-+$/, '');
  if (!DNS_LABEL.test(name)) throw new ManifestError(`run id ${JSON.stringify(runId)} does not make a pod name (at most 56 letters, digits and "-")`);
  return name;
}

export function checkImage(image: string, where = 'image'): string {
  if (!IMAGE.test(image)) throw new ManifestError(`${where}: ${JSON.stringify(image)} is not an image reference (name[:tag] or name@digest)`);
  return image;
}

export function namespaceManifest(name: string, runId: string): object {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name: checkNamespace(name), labels: { [LABEL]: '1' }, annotations: { [CREATED_BY_ANNOTATION]: runId } } };
}

export function podManifest(p: PodManifestInput): object {
  if (!DNS_LABEL.test(p.name)) throw new ManifestError(`pod name ${JSON.stringify(p.name)}: expected a DNS label`);
  checkNamespace(p.namespace);
  if (!LABEL_VALUE.test(p.runId)) throw new ManifestError(`run id ${JSON.stringify(p.runId)} cannot be a label value (at most 63 of A-Z a-z 0-9 _ . -)`);
  checkImage(p.image);
  if (!Number.isInteger(p.lifetimeSec) || p.lifetimeSec < 1) throw new ManifestError(`lifetime ${p.lifetimeSec}: expected whole seconds >= 1`);
  if (p.command && (p.command.length === 0 || p.command.some((a) => typeof a !== 'string' || a.includes('\0')))) throw new ManifestError('command: expected a non-empty list of strings');
  for (const [k, v] of [['cpu request', p.cpuRequest], ['cpu limit', p.cpuLimit]] as const) if (v != null && !CPU.test(v)) throw new ManifestError(`${k}: ${JSON.stringify(v)} is not a cpu quantity (such as 250m or 1)`);
  const bytes = (v: number | null | undefined, what: string) => {
    if (v == null) return undefined;
    if (!Number.isInteger(v) || v <= 0) throw new ManifestError(`${what}: expected a positive whole number of bytes, got ${v}`);
    return formatQuantity(v);
  };
  const limits: Record<string, string> = {};
  const requests: Record<string, string> = {};
  const ml = bytes(p.memoryLimit, 'memory limit');
  const mr = bytes(p.memoryRequest, 'memory request');
  if (ml) limits.memory = ml;
  if (mr) requests.memory = mr;
  if (p.cpuLimit) limits.cpu = p.cpuLimit;
  if (p.cpuRequest) requests.cpu = p.cpuRequest;
  if (p.memoryLimit != null && p.memoryRequest != null && p.memoryRequest > p.memoryLimit) throw new ManifestError('memory request is above the memory limit');
  const resources: Record<string, object> = {};
  if (Object.keys(limits).length) resources.limits = limits;
  if (Object.keys(requests).length) resources.requests = requests;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace: p.namespace,
      labels: { [LABEL]: '1', [LABEL_RUN]: p.runId },
      annotations: {
        'oomlab.created': p.createdAt,
        [OWNER_ANNOTATION]: JSON.stringify({ marker: 'oomlab', runId: p.runId, name: p.name, kind: 'pod', holder: p.holder, createdAt: p.createdAt, appVersion: p.appVersion }),
        [LEASE_ANNOTATION]: p.leaseExpires,
      },
    },
    spec: {
      restartPolicy: p.restartPolicy,
      // The lab's PID 1 ignores SIGTERM (it is a pid namespace's init): no point waiting 30 s.
      terminationGracePeriodSeconds: 2,
      activeDeadlineSeconds: p.lifetimeSec,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      ...(p.nodeHostname ? { nodeSelector: { 'kubernetes.io/hostname': p.nodeHostname } } : {}),
      containers: [
        {
          name: CONTAINER_NAME,
          image: p.image,
          imagePullPolicy: p.imagePullPolicy,
          command: p.command ?? ['sleep', String(p.lifetimeSec)],
          resources,
        },
      ],
    },
  };
}
