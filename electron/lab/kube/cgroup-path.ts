// Where the kubelet puts a pod's and a container's cgroup. Pure.
//
//   driver    QoS         pod cgroup                                                   container
//   cgroupfs  Guaranteed  /kubepods/pod<uid>                                           <pod>/<id>
//   cgroupfs  Burstable   /kubepods/burstable/pod<uid>                                 <pod>/<id>
//   systemd   Guaranteed  /kubepods.slice/kubepods-pod<uid_>.slice                     <pod>/<runtime>-<id>.scope
//   systemd   Burstable   /kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid_>.slice
//   (BestEffort like Burstable with "besteffort"; uid_ = the uid with "_" for "-";
//    runtime prefix: cri-containerd, docker (cri-dockerd), crio.)
// The relative path is the same on cgroup v1 and v2; the directory is under the
// memory controller's mount (/sys/fs/cgroup/memory on v1, /sys/fs/cgroup on v2).
// kubelet --cgroup-root moves everything under another root (default "/").

import type { QosClass } from './qos';

export type CgroupDriver = 'cgroupfs' | 'systemd';
export type ContainerRuntime = 'containerd' | 'docker' | 'cri-o';

const UID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ID = /^[0-9a-f]{64}$/;

export interface PodCgroupInput {
  driver: CgroupDriver;
  qos: QosClass;
  podUid: string;
  /** kubelet --cgroup-root; default "/". */
  root?: string;
}

export interface ContainerCgroupInput extends PodCgroupInput {
  containerId: string;
  runtime: ContainerRuntime;
}

function checkRoot(root: string | undefined): string {
  const r = (root ?? '/').replace(/\/+$/, '');
  if (r !== '' && !/^\/[A-Za-z0-9_.\/-]*$/.test(r)) throw new Error(`cgroup root ${JSON.stringify(root)}: expected an absolute cgroup path`);
  if (r.split('/').includes('..')) throw new Error(`cgroup root ${JSON.stringify(root)}: ".." is not allowed`);
  return r;
}

export function podCgroupPath(p: PodCgroupInput): string {
  if (!UID.test(p.podUid)) throw new Error(`pod uid ${JSON.stringify(p.podUid)}: expected a lowercase uuid`);
  const root = checkRoot(p.root);
  const qos = p.qos === 'Guaranteed' ? null : p.qos.toLowerCase();
  if (p.driver === 'cgroupfs') return `${root}/kubepods${qos ? `/${qos}` : ''}/pod${p.podUid}`;
  const uid = p.podUid.replace(/-/g, '_');
  // systemd nests slices by name: kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice
  return qos ? `${root}/kubepods.slice/kubepods-${qos}.slice/kubepods-${qos}-pod${uid}.slice` : `${root}/kubepods.slice/kubepods-pod${uid}.slice`;
}

const SCOPE_PREFIX: Record<ContainerRuntime, string> = { containerd: 'cri-containerd', docker: 'docker', 'cri-o': 'crio' };

export function containerCgroupPath(c: ContainerCgroupInput): string {
  if (!ID.test(c.containerId)) throw new Error(`container id ${JSON.stringify(c.containerId)}: expected 64 hex digits`);
  const pod = podCgroupPath(c);
  return c.driver === 'cgroupfs' ? `${pod}/${c.containerId}` : `${pod}/${SCOPE_PREFIX[c.runtime]}-${c.containerId}.scope`;
}

/** "containerd://<id>", "docker://<id>", "cri-o://<id>" as containerStatuses[].containerID prints it. */
export function parseContainerId(containerID: string): { runtime: ContainerRuntime; id: string } | null {
  const m = /^(containerd|docker|cri-o):\/\/([0-9a-f]{64})$/.exec(containerID);
  return m ? { runtime: m[1] as ContainerRuntime, id: m[2]! } : null;
}

/** Every layout the node could use, cgroupfs first: the driver checks which one exists. */
export function containerCgroupCandidates(c: Omit<ContainerCgroupInput, 'driver'>): Array<{ driver: CgroupDriver; pod: string; container: string }> {
  return (['cgroupfs', 'systemd'] as const).map((driver) => ({ driver, pod: podCgroupPath({ ...c, driver }), container: containerCgroupPath({ ...c, driver }) }));
}

/** Absolute directory under the memory controller's mount (/sys/fs/cgroup/memory on v1, /sys/fs/cgroup on v2). */
export function cgroupDirUnder(mount: string, hierarchyPath: string): string {
  if (!hierarchyPath.startsWith('/') || hierarchyPath.split('/').includes('..')) throw new Error(`odd cgroup path ${JSON.stringify(hierarchyPath)}`);
  return `${mount.replace(/\/+$/, '')}${hierarchyPath === '/' ? '' : hierarchyPath}`;
}
