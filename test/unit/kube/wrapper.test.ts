import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { podWrapperScript } from '../../../electron/lab/kube/wrapper';

const o = { nonce: 'abcdef0123456789', dir: "/sys/fs/cgroup/memory/kubepods/burstable/pod1/c'1", hierarchyPath: '/kubepods/burstable/pod1/c1', initPid: 4242, timeCapSec: 120, oomScoreAdj: null, argv: ['stress', '--vm', '1', '$(reboot)'], events: 'memory.oom_control' as const };

describe('podWrapperScript', () => {
  it('is valid POSIX sh, with every value quoted', () => {
    const s = podWrapperScript(o);
    expect(spawnSync('sh', ['-n'], { input: s }).status).toBe(0);
    expect(s).toContain("'$(reboot)'");
    expect(s).toContain(`D='/sys/fs/cgroup/memory/kubepods/burstable/pod1/c'\\''1'`);
    // Joins the container's cgroup before it enters the namespaces and execs.
    expect(s.indexOf('cgroup.procs')).toBeLessThan(s.indexOf('exec nsenter -t "$P1" -m -u -i -n -p --'));
    expect(s).toContain('timeout -v -s KILL "$CAP"');
  });
  it('refuses a bad nonce or init pid', () => {
    expect(() => podWrapperScript({ ...o, nonce: 'x;y' })).toThrow(/nonce/);
    expect(() => podWrapperScript({ ...o, initPid: 1 })).toThrow(/init pid 1/);
  });
});
