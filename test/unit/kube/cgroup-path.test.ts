import { describe, expect, it } from 'vitest';
import { cgroupDirUnder, containerCgroupCandidates, containerCgroupPath, parseContainerId, podCgroupPath } from '../../../electron/lab/kube/cgroup-path';
import { cgroupOwner } from '../../../electron/lab/kernel/cgroup-owner';

// Pod and container of seeds/001 (k3s, cgroupfs, v1): the kernel printed
// "Task in /kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c/a2ed67c6...e672".
const UID = 'bc001ffa-68fc-11e9-92d7-5ef9efd9374c';
const ID = 'a2ed67c63e828da3849bf9f506ae2b36b4dac5b402a57f2981c9bdc07b23e672';

describe('pod and container cgroups in the four layouts', () => {
  it('cgroupfs, v1: the write-up\'s path under /sys/fs/cgroup/memory', () => {
    const p = containerCgroupPath({ driver: 'cgroupfs', qos: 'Burstable', podUid: UID, containerId: ID, runtime: 'containerd' });
    expect(p).toBe(`/kubepods/burstable/pod${UID}/${ID}`);
    expect(cgroupDirUnder('/sys/fs/cgroup/memory', podCgroupPath({ driver: 'cgroupfs', qos: 'Burstable', podUid: UID }))).toBe(`/sys/fs/cgroup/memory/kubepods/burstable/pod${UID}`);
  });
  it('cgroupfs, v2: the same path under the unified mount; Guaranteed pods sit right under kubepods', () => {
    const p = containerCgroupPath({ driver: 'cgroupfs', qos: 'Guaranteed', podUid: UID, containerId: ID, runtime: 'containerd' });
    expect(p).toBe(`/kubepods/pod${UID}/${ID}`);
    expect(cgroupDirUnder('/sys/fs/cgroup', p)).toBe(`/sys/fs/cgroup/kubepods/pod${UID}/${ID}`);
  });
  it('systemd, v1: nested slices, underscores in the uid, a runtime scope', () => {
    const p = containerCgroupPath({ driver: 'systemd', qos: 'BestEffort', podUid: UID, containerId: ID, runtime: 'docker' });
    expect(p).toBe(`/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod${UID.replace(/-/g, '_')}.slice/docker-${ID}.scope`);
    expect(cgroupDirUnder('/sys/fs/cgroup/memory/', p)).toBe(`/sys/fs/cgroup/memory${p}`);
  });
  it('systemd, v2 (k3s with containerd): cri-containerd scope under the unified mount', () => {
    const p = containerCgroupPath({ driver: 'systemd', qos: 'Burstable', podUid: UID, containerId: ID, runtime: 'containerd' });
    expect(p).toBe(`/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod${UID.replace(/-/g, '_')}.slice/cri-containerd-${ID}.scope`);
    expect(cgroupDirUnder('/sys/fs/cgroup', podCgroupPath({ driver: 'systemd', qos: 'Guaranteed', podUid: UID }))).toBe(`/sys/fs/cgroup/kubepods.slice/kubepods-pod${UID.replace(/-/g, '_')}.slice`);
  });
  it('every layout reads back through the kernel report parser\'s cgroupOwner()', () => {
    for (const qos of ['Guaranteed', 'Burstable', 'BestEffort'] as const) {
      for (const c of containerCgroupCandidates({ qos, podUid: UID, containerId: ID, runtime: 'containerd' })) {
        const o = cgroupOwner(c.container);
        expect(o.podUid).toBe(UID);
        expect(o.containerId).toBe(ID);
        expect(o.qosClass).toBe(qos.toLowerCase());
      }
    }
  });
  it('a cgroup root, and bad input named', () => {
    expect(podCgroupPath({ driver: 'cgroupfs', qos: 'Burstable', podUid: UID, root: '/k3s' })).toBe(`/k3s/kubepods/burstable/pod${UID}`);
    expect(() => podCgroupPath({ driver: 'cgroupfs', qos: 'Burstable', podUid: 'x' })).toThrow(/pod uid "x"/);
    expect(() => podCgroupPath({ driver: 'cgroupfs', qos: 'Burstable', podUid: UID, root: '/a/../b' })).toThrow(/\.\./);
    expect(() => containerCgroupPath({ driver: 'cgroupfs', qos: 'Burstable', podUid: UID, containerId: 'abc', runtime: 'docker' })).toThrow(/64 hex/);
  });
  it('container ids as containerStatuses print them', () => {
    expect(parseContainerId(`containerd://${ID}`)).toEqual({ runtime: 'containerd', id: ID });
    expect(parseContainerId(`docker://${ID}`)).toEqual({ runtime: 'docker', id: ID });
    expect(parseContainerId(`cri-o://${ID}`)).toEqual({ runtime: 'cri-o', id: ID });
    expect(parseContainerId('containerd://short')).toBeNull();
  });
});
