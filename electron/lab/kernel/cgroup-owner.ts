// Who owns a cgroup path printed in an OOM report: the Docker/containerd/CRI-O/
// podman container, the Kubernetes pod and its QoS class. Covers cgroupfs
// (`/kubepods/burstable/pod<uid>/<id>`, `/docker/<id>`), the systemd driver
// (`kubepods-burstable-pod<uid_with_underscores>.slice/cri-containerd-<id>.scope`,
// `docker-<id>.scope`, `libpod-<id>.scope`) and nesting (kind nodes are Docker
// containers with kubepods inside; LXC payloads; rootless podman under user@.service).

export type QosClass = 'guaranteed' | 'burstable' | 'besteffort';

export interface CgroupOwner {
  /** Full 64-hex id of the innermost container (after the pod, when there is one). */
  containerId: string | null;
  /** Kubernetes pod uid with dashes (the systemd driver writes underscores). */
  podUid: string | null;
  qosClass: QosClass | null;
  /** Runtime recognised from the container segment: docker, containerd, crio, podman. */
  runtime: string | null;
}

const UUID = String.raw`[0-9a-f]{8}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{4}[-_][0-9a-f]{12}`;
// "pod<uid>" (cgroupfs) or "kubepods-<qos>-pod<uid>.slice" / "kubelet-kubepods-<qos>-pod<uid>.slice" (systemd);
// static pods carry a 32-hex config hash instead of a uuid.
const POD_SEGMENT = new RegExp(String.raw`^(?:[\w-]*?kubepods(?:-(burstable|besteffort))?-)?pod(${UUID}|[0-9a-f]{32})(?:\.slice)?$`, 'i');
const QOS_SEGMENT = /^(?:[\w-]*?kubepods-)?(burstable|besteffort)(?:\.slice)?$/i;
// Container segments: the id, optionally wrapped as <runtime>-<id>.scope. conmon scopes are not the container.
const CONTAINER_SEGMENT = /^(?:(docker|cri-containerd|crio|libpod|containerd)-)?([0-9a-f]{64})(?:\.scope)?$/i;

const RUNTIME_OF_PREFIX: Record<string, string> = {
  docker: 'docker',
  'cri-containerd': 'containerd',
  containerd: 'containerd',
  crio: 'crio',
  libpod: 'podman',
};

/** Derives container id, pod uid and QoS class from a cgroup path; every field is null when the path does not say. */
export function cgroupOwner(path: string | null | undefined): CgroupOwner {
  const none: CgroupOwner = { containerId: null, podUid: null, qosClass: null, runtime: null };
  if (!path || path === 'global' || path === 'unknown') return none;
  const segments = path.split('/').filter((s) => s !== '');

  let podIndex = -1;
  let podUid: string | null = null;
  let qos: QosClass | null = null;
  for (const [i, seg] of segments.entries()) {
    const pod = POD_SEGMENT.exec(seg);
    if (pod) {
      podIndex = i;
      podUid = (pod[2] ?? '').replace(/_/g, '-').toLowerCase();
      qos = (pod[1]?.toLowerCase() as QosClass | undefined) ?? qos;
      continue;
    }
    const q = QOS_SEGMENT.exec(seg);
    if (q) qos = (q[1] ?? '').toLowerCase() as QosClass;
  }

  let containerId: string | null = null;
  let runtime: string | null = null;
  for (const [i, seg] of segments.entries()) {
    // Inside a pod only the pod's own containers count (not a kind node around it).
    if (podIndex >= 0 && i <= podIndex) continue;
    const c = CONTAINER_SEGMENT.exec(seg);
    if (!c) continue;
    containerId = (c[2] ?? '').toLowerCase();
    const prefix = c[1]?.toLowerCase();
    const parent = segments[i - 1] ?? '';
    runtime = prefix ? (RUNTIME_OF_PREFIX[prefix] ?? null) : parent === 'docker' ? 'docker' : parent === 'libpod_parent' ? 'podman' : null;
  }

  if (podUid && !qos) qos = 'guaranteed'; // guaranteed pods sit directly under kubepods
  return { containerId, podUid, qosClass: podUid ? qos : null, runtime };
}
