import { describe, expect, it } from 'vitest';
import { execRoute, type ExecRouteInput } from '../../../electron/lab/kube/exec-route';

const ID = '7c467301f96beb49c32d59edd631c34324ec3994b907bc18136ac7283c5c9ed0';
const base: ExecRouteInput = { runtime: 'docker', containerId: ID, docker: true, crictl: null, kubectl: ['kubectl', '--kubeconfig', '/etc/k.yaml'], namespace: 'oomlab', pod: 'oomlab-r1', container: 'lab' };

describe('execRoute: the runtime\'s own exec, never nsenter', () => {
  it('docker exec when the kubelet runs docker and the node has it', () => {
    expect(execRoute(base)).toEqual({ via: 'docker exec', argv: ['docker', 'exec', '-i', ID] });
  });
  it('crictl exec (or k3s crictl) for containerd and CRI-O', () => {
    expect(execRoute({ ...base, runtime: 'containerd', crictl: ['crictl'] })).toEqual({ via: 'crictl exec', argv: ['crictl', 'exec', '-i', ID] });
    expect(execRoute({ ...base, runtime: 'cri-o', crictl: ['k3s', 'crictl'] }).argv).toEqual(['k3s', 'crictl', 'exec', '-i', ID]);
  });
  it('kubectl exec when neither is reachable', () => {
    const want = { via: 'kubectl exec', argv: ['kubectl', '--kubeconfig', '/etc/k.yaml', 'exec', '-i', '-n', 'oomlab', 'oomlab-r1', '-c', 'lab', '--'] };
    expect(execRoute({ ...base, docker: false })).toEqual(want);
    expect(execRoute({ ...base, runtime: 'containerd' })).toEqual(want);
  });
  it('refuses an odd container id', () => {
    expect(() => execRoute({ ...base, containerId: '--privileged' })).toThrow(/64 hex/);
  });
});
