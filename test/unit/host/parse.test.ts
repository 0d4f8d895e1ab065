// The probe parser on real probe-script output. Fixtures captured on this
// machine (Debian 12, kernel 6.18, cgroup v1 memory hierarchy with systemd's
// cgroup2 at /sys/fs/cgroup/unified) by running PROBE_SCRIPT with /bin/sh:
//   probe-v1-debian12-root.txt    as root
//   probe-v1-debian12-nobody.txt  as `runuser -u nobody` (no sudo installed)
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProbeOutput, ProbeParseError } from '../../../electron/lab/host/parse';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const ROOT = fixture('probe-v1-debian12-root.txt');
const NOBODY = fixture('probe-v1-debian12-nobody.txt');

describe('parseProbeOutput: cgroup v1 host as root', () => {
  const f = parseProbeOutput(ROOT, 'root@lab:22');

  it('reads system facts', () => {
    expect(f).toMatchObject({ host: 'root@lab:22', kernel: '6.18.44-fc-v669', distro: 'Debian GNU/Linux 12 (bookworm)', arch: 'x86_64', user: 'root' });
  });

  it('sees v1 memory (systemd’s empty unified mount does not make it hybrid)', () => {
    expect(f).toMatchObject({ cgroup: 'v1', memoryMount: '/sys/fs/cgroup/memory', memoryController: true, memswAccounting: true, canCreateCgroup: true, unifiedMount: '/sys/fs/cgroup/unified' });
    expect(f.selfMemoryCgroup).toBe('/process_api/88b96ac2e302aeb74dd050c0625446b2');
    expect(f.v2Controllers).toBeUndefined();
  });

  it('reads memory in bytes and the VM knobs', () => {
    expect(f.memTotalBytes).toBe(24684084 * 1024);
    expect(f.memAvailableBytes).toBe(Number(/MemAvailable:\t(\d+)/.exec(ROOT)![1]) * 1024);
    expect(f).toMatchObject({ swapTotalBytes: 0, overcommitMemory: 0, pageSize: 4096 });
  });

  it('lists tools with versions, absent ones as false', () => {
    expect(f.tools).toMatchObject({ stress: 'stress 1.0.7', 'stress-ng': expect.stringContaining('0.15.06'), perl: 'perl v5.36.0', k3s: false, sudo: false, timeout: expect.stringContaining('coreutils') });
    expect(f.toolPaths?.stress).toBe('/usr/bin/stress');
    expect(f.dockerDaemon).toBe('20.10.24+dfsg1');
    expect(f.kubectl).toBe('kubectl');
    expect(f.kubeconfig).toBeNull();
  });

  it('reads kernel log access and privileges', () => {
    expect(f.kernelLog).toEqual(['kmsg', 'dmesg']);
    expect(f).toMatchObject({ root: true, sudo: false, dmesgRestrict: 1 });
    expect(f.problems).toEqual([]);
  });
});

describe('parseProbeOutput: same host as an unprivileged user', () => {
  const f = parseProbeOutput(NOBODY, 'nobody@lab:22');
  it('says what is missing and why', () => {
    expect(f).toMatchObject({ root: false, sudo: false, canCreateCgroup: false, memoryController: true, kernelLog: [], dockerDaemon: null, user: 'nobody' });
    expect(f.problems).toEqual([
      'not root and `sudo -n` is refused: cgroups cannot be created and the kernel log may be unreadable',
      'cannot create a memory cgroup under /sys/fs/cgroup/memory (not tried)',
      'the kernel log cannot be read (kernel.dmesg_restrict=1): OOM kill reports will be missing',
      'docker is installed but its daemon does not answer',
    ]);
  });
});

// The lines below change single keys of the real v1 capture to the values a
// cgroup v2 host prints, to exercise the v2/hybrid branches (no v2 host here).
function edit(text: string, replace: Record<string, string | null>, add: string[] = []): string {
  const lines = text.split('\n').filter((l) => {
    const k = l.split('\t')[0]!;
    return !(k in replace) || replace[k] !== null;
  });
  const out = lines.map((l) => {
    const k = l.split('\t')[0]!;
    return k in replace ? `${k}\t${replace[k]}` : l;
  });
  const end = out.indexOf('end\t1');
  out.splice(end, 0, ...add);
  return out.join('\n');
}
const withoutMounts = ROOT.split('\n').filter((l) => !/^(mount|v2controllers|v2subtree)\t/.test(l)).join('\n');

describe('parseProbeOutput: v2 and hybrid branches', () => {
  it('v2 with memory enabled for children', () => {
    const text = edit(withoutMounts, { rootfs: 'cgroup2fs', memmount: '/sys/fs/cgroup', memkind: 'v2', memsw: '0', selfcgroup: '0::/user.slice ' }, [
      'mount\t/sys/fs/cgroup cgroup2 rw,nosuid,nodev,noexec,relatime,nsdelegate,memory_recursiveprot',
      'v2controllers\t/sys/fs/cgroup cpuset cpu io memory hugetlb pids rdma misc',
      'v2subtree\t/sys/fs/cgroup cpuset cpu io memory pids',
    ]);
    const f = parseProbeOutput(text, 'h');
    expect(f).toMatchObject({ cgroup: 'v2', memoryMount: '/sys/fs/cgroup', memoryController: true, unifiedMount: null, selfMemoryCgroup: '/user.slice' });
    expect(f.v2SubtreeControl).toContain('memory');
  });

  it('v2 without memory in subtree_control is reported as a problem', () => {
    const text = edit(withoutMounts, { rootfs: 'cgroup2fs', memmount: '/sys/fs/cgroup', memkind: 'v2', cgcreate: 'nofile memory.max', cgremove: 'ok' }, [
      'mount\t/sys/fs/cgroup cgroup2 rw,relatime',
      'v2controllers\t/sys/fs/cgroup cpu memory pids',
      'v2subtree\t/sys/fs/cgroup cpu',
    ]);
    const f = parseProbeOutput(text, 'h');
    expect(f).toMatchObject({ cgroup: 'v2', memoryController: false, canCreateCgroup: false });
    expect(f.problems[0]).toMatch(/memory is not in \/sys\/fs\/cgroup\/cgroup.subtree_control/);
  });

  it('hybrid: v1 hierarchies, memory bound to cgroup2', () => {
    const text = edit(ROOT, { memmount: '/sys/fs/cgroup/unified', memkind: 'v2', 'v2controllers': '/sys/fs/cgroup/unified memory hugetlb', 'v2subtree': '/sys/fs/cgroup/unified memory' });
    expect(parseProbeOutput(text, 'h')).toMatchObject({ cgroup: 'hybrid', memoryMount: '/sys/fs/cgroup/unified', memoryController: true });
  });

  it('warns about swap and a probe cgroup left behind', () => {
    const text = edit(ROOT, { 'meminfo.SwapTotal:': '1048572 kB', memsw: '0', cgremove: 'failed /sys/fs/cgroup/memory/oomlab-probe-1-ab' });
    const f = parseProbeOutput(text, 'h');
    expect(f.canCreateCgroup).toBe(false);
    expect(f.problems).toEqual([
      'the probe could not remove its test cgroup /sys/fs/cgroup/memory/oomlab-probe-1-ab',
      'swap is on (1024 MiB): a memory limit pushes pages to swap before anything is killed',
      'swap cannot be pinned per cgroup (no memory.memsw.*; boot with swapaccount=1)',
    ]);
  });
});

describe('parseProbeOutput: broken output', () => {
  it('names what is wrong', () => {
    expect(() => parseProbeOutput('', 'h')).toThrow(ProbeParseError);
    expect(() => parseProbeOutput(ROOT.replace('end\t1', ''), 'h')).toThrow(/h: probe output: cut short/);
    expect(() => parseProbeOutput(ROOT.replace(/^kernel\t.*$/m, ''), 'h')).toThrow(/missing "kernel"/);
    expect(() => parseProbeOutput(ROOT.replace(/MemTotal:\t\d+ kB/, 'MemTotal:\tlots'), 'h')).toThrow(/MemTotal is not "N kB": lots/);
  });
  it('ignores lines that are not ours (a banner on stdout)', () => {
    expect(parseProbeOutput(`Welcome to the lab!\n${ROOT}`, 'h').kernel).toBe('6.18.44-fc-v669');
  });
});
