// Pure: the probe script's "key<TAB>value" output -> HostFacts, including the
// plain-words list of what is missing and why it matters.

import type { CgroupMode, HostFacts } from './facts';
import { PROBED_TOOLS } from './script';
import { LabError } from '../errors';

export class ProbeParseError extends LabError {
  constructor(host: string, message: string) {
    super('host', `${host}: probe output: ${message}`);
    this.name = 'ProbeParseError';
  }
}

interface Mount {
  path: string;
  type: 'cgroup' | 'cgroup2';
  options: string[];
}

export function parseProbeOutput(stdout: string, host: string): HostFacts {
  const single = new Map<string, string>();
  const multi = new Map<string, string[]>();
  stdout.split('\n').forEach((line) => {
    const tab = line.indexOf('\t');
    if (tab <= 0) return; // not ours (e.g. a login banner on stdout)
    const k = line.slice(0, tab);
    const v = line.slice(tab + 1);
    single.set(k, v);
    multi.set(k, [...(multi.get(k) ?? []), v]);
  });
  if (single.get('version') !== '1') throw new ProbeParseError(host, 'no "version 1" line: the probe script did not run as expected');
  if (single.get('end') !== '1') throw new ProbeParseError(host, 'cut short (no "end" line): the probe script failed part-way');
  const need = (k: string): string => {
    const v = single.get(k);
    if (v === undefined || v === '') throw new ProbeParseError(host, `missing "${k}"`);
    return v;
  };
  const num = (k: string): number => {
    const v = need(k);
    if (!/^\d+$/.test(v)) throw new ProbeParseError(host, `"${k}" is not a number: ${v}`);
    return Number(v);
  };
  const kib = (k: string): number => {
    const v = need(`meminfo.${k}:`);
    const m = /^(\d+) kB$/.exec(v);
    if (!m) throw new ProbeParseError(host, `/proc/meminfo ${k} is not "N kB": ${v}`);
    return Number(m[1]) * 1024;
  };
  const flag = (k: string) => single.get(k) === '1';

  const mounts: Mount[] = (multi.get('mount') ?? []).map((v) => {
    const [path = '', type = '', opts = ''] = v.split(' ');
    return { path, type: type as Mount['type'], options: opts.split(',') };
  });
  const perMount = (key: string) => {
    const map = new Map<string, string[]>();
    for (const v of multi.get(key) ?? []) {
      const sp = v.indexOf(' ');
      const path = sp < 0 ? v : v.slice(0, sp);
      map.set(path, sp < 0 ? [] : v.slice(sp + 1).split(/\s+/).filter(Boolean));
    }
    return map;
  };
  const controllers = perMount('v2controllers');
  const subtree = perMount('v2subtree');

  const rootIsV2 = single.get('rootfs') === 'cgroup2fs';
  const v1Mounts = mounts.filter((m) => m.type === 'cgroup');
  const v2Mounts = mounts.filter((m) => m.type === 'cgroup2');
  const memKind = single.get('memkind') ?? '';
  const memoryMount = single.get('memmount') || null;
  let cgroup: CgroupMode;
  if (rootIsV2 || (v1Mounts.length === 0 && v2Mounts.length > 0)) cgroup = 'v2';
  else if (memKind === 'v2') cgroup = 'hybrid';
  else cgroup = 'v1';

  const memCtl = memoryMount ? controllers.get(memoryMount) : undefined;
  const memSub = memoryMount ? subtree.get(memoryMount) : undefined;
  // v1: the hierarchy is mounted. v2: children get memory.* only when the root enables it.
  const memoryController = memKind === 'v1' ? true : memKind === 'v2' ? (memSub ?? []).includes('memory') : false;

  const cgcreate = single.get('cgcreate') ?? 'not tried';
  const cgremove = single.get('cgremove') ?? '';
  const canCreateCgroup = cgcreate === 'ok' && cgremove === 'ok';

  const root = single.get('uid') === '0';
  const sudo = flag('sudo');

  const tools: Record<string, string | boolean> = {};
  const toolPaths: Record<string, string> = {};
  for (const t of PROBED_TOOLS) {
    const path = single.get(`tool.${t}`);
    if (!path) {
      tools[t] = false;
      continue;
    }
    toolPaths[t] = path;
    tools[t] = single.get(`version.${t}`) || true;
  }

  const kernelLog: HostFacts['kernelLog'] = [];
  if (flag('kmsg')) kernelLog.push('kmsg');
  if (flag('dmesg')) kernelLog.push('dmesg');
  if (flag('journal')) kernelLog.push('journalctl');

  const dockerDaemon = single.get('dockerd') || null;
  const kubectl = toolPaths.kubectl ? 'kubectl' : toolPaths.k3s ? 'k3s kubectl' : null;
  const swapTotalBytes = kib('SwapTotal');
  const overcommitMemory = num('overcommit');
  const memswAccounting = flag('memsw');
  const dr = single.get('dmesg_restrict');
  const unified = cgroup !== 'v2' ? (v2Mounts[0]?.path ?? null) : null;

  const problems: string[] = [];
  if (!root && !sudo) problems.push('not root and `sudo -n` is refused: cgroups cannot be created and the kernel log may be unreadable');
  if (!memoryMount) problems.push('no memory cgroup controller is mounted');
  else if (!memoryController) problems.push(`memory is not in ${memoryMount}/cgroup.subtree_control: child cgroups get no memory.max (enable it with "+memory")`);
  if (memoryMount && !canCreateCgroup) {
    if (cgremove.startsWith('failed')) problems.push(`the probe could not remove its test cgroup ${cgremove.slice('failed '.length)}`);
    else problems.push(`cannot create a memory cgroup under ${memoryMount} (${cgcreate})`);
  }
  if (!tools.stress && !tools['stress-ng']) problems.push('neither stress nor stress-ng is installed: only the built-in allocators can run');
  if (kernelLog.length === 0) problems.push(`the kernel log cannot be read${dr === '1' ? ' (kernel.dmesg_restrict=1)' : ''}: OOM kill reports will be missing`);
  if (swapTotalBytes > 0) {
    problems.push(`swap is on (${Math.round(swapTotalBytes / 1048576)} MiB): a memory limit pushes pages to swap before anything is killed`);
    if (cgroup === 'v1' && !memswAccounting) problems.push('swap cannot be pinned per cgroup (no memory.memsw.*; boot with swapaccount=1)');
  }
  if (overcommitMemory === 2) problems.push('vm.overcommit_memory=2: allocations fail with ENOMEM before the OOM killer is involved');
  if (toolPaths.docker && !dockerDaemon) problems.push('docker is installed but its daemon does not answer');

  const self = (single.get('selfcgroup') ?? '').split(' ').find((e) => /^\d+:memory:/.test(e));
  const selfV2 = (single.get('selfcgroup') ?? '').split(' ').find((e) => e.startsWith('0::'));
  const selfMemoryCgroup = self ? self.replace(/^\d+:memory:/, '') : cgroup !== 'v1' && selfV2 ? selfV2.slice(3) : null;

  return {
    host,
    kernel: need('kernel'),
    distro: single.get('distro') || null,
    arch: need('arch'),
    cgroup,
    memoryMount,
    memoryController,
    canCreateCgroup,
    memswAccounting,
    tools,
    kernelLog,
    kubeconfig: single.get('kubeconfig') || null,
    memTotalBytes: kib('MemTotal'),
    memAvailableBytes: kib('MemAvailable'),
    swapTotalBytes,
    overcommitMemory,
    pageSize: num('pagesize'),
    root,
    sudo,
    problems,
    ...(single.get('user') ? { user: single.get('user')! } : {}),
    unifiedMount: unified,
    freezerMount: v1Mounts.find((m) => m.options.includes('freezer'))?.path ?? null,
    ...(memKind === 'v2' ? { v2Controllers: memCtl ?? [], v2SubtreeControl: memSub ?? [] } : {}),
    selfMemoryCgroup,
    toolPaths,
    dockerDaemon,
    kubectl,
    dmesgRestrict: dr && /^\d+$/.test(dr) ? Number(dr) : null,
  };
}
