// Container id, pod uid and QoS class from cgroup paths. The first group is
// paths printed by real kernels in the fixtures; the second shows the layouts
// the runtimes document for nested setups (kind nodes, podman, the systemd driver).
import { describe, expect, it } from 'vitest';
import { cgroupOwner } from '../../../electron/lab/kernel/cgroup-owner';

const C1 = 'a2ed67c63e828da3849bf9f506ae2b36b4dac5b402a57f2981c9bdc07b23e672';
const C2 = 'ec9ee26695deb4cc72bc665efff1cf3a03fdfb12f1303e02fe9252985e084a95';

describe('paths printed in the fixtures', () => {
  it.each([
    [`/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c/${C1}`, { containerId: C1, podUid: 'bc001ffa-68fc-11e9-92d7-5ef9efd9374c', qosClass: 'burstable', runtime: null }],
    ['/kubepods/burstable/podbc001ffa-68fc-11e9-92d7-5ef9efd9374c', { containerId: null, podUid: 'bc001ffa-68fc-11e9-92d7-5ef9efd9374c', qosClass: 'burstable' }],
    [
      '/kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9',
      { containerId: '024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9', podUid: '951f6bc5-c5a5-11ea-8707-80e455f266a2', qosClass: 'guaranteed' },
    ],
    [
      '/docker/9aa53161a9f95c6be87e448980332a151b0aeeb840ea4ca92dc96a64a03e3d33',
      { containerId: '9aa53161a9f95c6be87e448980332a151b0aeeb840ea4ca92dc96a64a03e3d33', podUid: null, qosClass: null, runtime: 'docker' },
    ],
    [
      `/lxc.payload.ny2g2r5hh3-lxc/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podeded8c65_6e8e_4c6e_a889_3e427565c740.slice/cri-containerd-${C2}.scope`,
      { containerId: C2, podUid: 'eded8c65-6e8e-4c6e-a889-3e427565c740', qosClass: 'burstable', runtime: 'containerd' },
    ],
    [
      '/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod06d44939_d15e_491f_84a3_2dbba9fc0440.slice/cri-containerd-f6b09caae6cfa22cd45491888e0e7001c0b690f8b3c9b47e1bc20d69315e722c.scope',
      { podUid: '06d44939-d15e-491f-84a3-2dbba9fc0440', qosClass: 'burstable', containerId: 'f6b09caae6cfa22cd45491888e0e7001c0b690f8b3c9b47e1bc20d69315e722c' },
    ],
    [
      '/oomlab-fixture-3aa86ba4/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod0e2c4f6a_8b1d_4e3f_a5c7_9d0b2e4f6a8c.slice',
      { podUid: '0e2c4f6a-8b1d-4e3f-a5c7-9d0b2e4f6a8c', qosClass: 'besteffort', containerId: null },
    ],
    ['/init.scope', { containerId: null, podUid: null, qosClass: null, runtime: null }],
    ['/mem2', { containerId: null, podUid: null, qosClass: null }],
    ['global', { containerId: null, podUid: null }],
  ])('%s', (path, expected) => {
    expect(cgroupOwner(path)).toMatchObject(expected);
  });
});

describe('documented layouts', () => {
  it('the systemd driver with Docker, CRI-O and guaranteed pods', () => {
    expect(cgroupOwner(`/kubepods.slice/kubepods-pod4c1f2a3b_5d6e_4f70_8192_a3b4c5d6e7f8.slice/docker-${C1}.scope`)).toEqual({
      containerId: C1,
      podUid: '4c1f2a3b-5d6e-4f70-8192-a3b4c5d6e7f8',
      qosClass: 'guaranteed',
      runtime: 'docker',
    });
    expect(cgroupOwner(`/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod4c1f2a3b_5d6e_4f70_8192_a3b4c5d6e7f8.slice/crio-${C1}.scope`)).toMatchObject({
      runtime: 'crio',
      qosClass: 'besteffort',
    });
    expect(cgroupOwner(`/system.slice/docker-${C1}.scope`)).toEqual({ containerId: C1, podUid: null, qosClass: null, runtime: 'docker' });
  });

  it('kind: the pod inside a node that is itself a Docker container; the pod container wins', () => {
    const node = 'f00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeedf00dfeed';
    expect(cgroupOwner(`/docker/${node}/kubepods/besteffort/pod4c1f2a3b-5d6e-4f70-8192-a3b4c5d6e7f8/${C1}`)).toEqual({
      containerId: C1,
      podUid: '4c1f2a3b-5d6e-4f70-8192-a3b4c5d6e7f8',
      qosClass: 'besteffort',
      runtime: null,
    });
    expect(
      cgroupOwner(`/system.slice/docker-${node}.scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/kubelet-kubepods-burstable-pod4c1f2a3b_5d6e_4f70_8192_a3b4c5d6e7f8.slice/cri-containerd-${C1}.scope`),
    ).toEqual({ containerId: C1, podUid: '4c1f2a3b-5d6e-4f70-8192-a3b4c5d6e7f8', qosClass: 'burstable', runtime: 'containerd' });
    // A pod-level memcg inside kind names no container of its own.
    expect(cgroupOwner(`/docker/${node}/kubepods/pod4c1f2a3b-5d6e-4f70-8192-a3b4c5d6e7f8`).containerId).toBeNull();
  });

  it('podman: machine.slice, cgroupfs parent, rootless user service', () => {
    expect(cgroupOwner(`/machine.slice/libpod-${C1}.scope`)).toEqual({ containerId: C1, podUid: null, qosClass: null, runtime: 'podman' });
    expect(cgroupOwner(`/libpod_parent/${C1}`)).toMatchObject({ containerId: C1, runtime: 'podman' });
    expect(cgroupOwner(`/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${C1}.scope/container`)).toMatchObject({ containerId: C1, runtime: 'podman' });
    expect(cgroupOwner(`/machine.slice/libpod-conmon-${C1}.scope`).containerId).toBeNull();
  });

  it('static pods use the config hash as uid', () => {
    expect(cgroupOwner('/kubepods/burstable/pod5e1ea0e8b1e0cbdde6fd1a6b3a2b8c7e').podUid).toBe('5e1ea0e8b1e0cbdde6fd1a6b3a2b8c7e');
  });
});
