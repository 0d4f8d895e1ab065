import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { podWrapperScript } from '../../../electron/lab/kube/wrapper';

const ID = '7c467301f96beb49c32d59edd631c34324ec3994b907bc18136ac7283c5c9ed0';
const o = {
  nonce: 'abcdef0123456789',
  dir: "/sys/fs/cgroup/memory/kubepods/burstable/pod1/c'1",
  hierarchyPath: '/kubepods/burstable/pod1/c1',
  initPid: 4242,
  timeCapSec: 120,
  oomScoreAdj: null,
  argv: ['stress', '--vm', '1', '$(reboot)'],
  events: 'memory.oom_control' as const,
  exec: ['docker', 'exec', '-i', ID],
};

describe('podWrapperScript', () => {
  it('is valid POSIX sh, with every value quoted', () => {
    const s = podWrapperScript(o);
    expect(spawnSync('sh', ['-n'], { input: s }).status).toBe(0);
    expect(s).toContain("'$(reboot)'");
    expect(s).toContain(`D='/sys/fs/cgroup/memory/kubepods/burstable/pod1/c'\\''1'`);
  });
  it('enters by the runtime\'s exec, never nsenter, and proves membership before it lets the workload go', () => {
    const s = podWrapperScript(o);
    expect(s).toContain(`set -- docker exec -i ${ID} sh -c "$INNER" oomlab-workload stress --vm 1 '$(reboot)'`);
    expect(s).not.toContain('nsenter');
    expect(s).not.toContain('/root');
    expect(s.indexOf('m joined')).toBeLessThan(s.indexOf("printf 'go\\n' >&4"));
    expect(s.indexOf('/oom_score_adj"')).toBeLessThan(s.indexOf("printf 'go\\n' >&4"));
  });
  it('refuses a bad nonce, init pid or exec command', () => {
    expect(() => podWrapperScript({ ...o, nonce: 'x;y' })).toThrow(/nonce/);
    expect(() => podWrapperScript({ ...o, initPid: 1 })).toThrow(/init pid 1/);
    expect(() => podWrapperScript({ ...o, exec: [] })).toThrow(/exec command/);
    expect(() => podWrapperScript({ ...o, exec: ['--kubeconfig', 'x'] })).toThrow(/exec command/);
  });
});
