// Whether a probed host can run a scenario at all, checked by both front ends
// before a run starts (the CLI exits 6, the desktop shows the problem's code).

import { LabError } from '../errors';
import type { HostFacts } from '../host/facts';

export type HostProblemCode = 'no-memory-controller' | 'no-cgroup-permission' | 'no-kernel-log';

export class HostProblemError extends LabError {
  constructor(
    readonly problem: HostProblemCode,
    readonly host: string,
    message: string,
    hint: string,
  ) {
    super('host', message, { hint });
    this.name = 'HostProblemError';
  }
}

/** Why the host cannot run a scenario, or null. */
export function hostProblem(f: HostFacts): HostProblemError | null {
  const why = (fallback: string) => f.problems.join('; ') || fallback;
  if (!f.memoryController) {
    return new HostProblemError('no-memory-controller', f.host, `${f.host}: no memory cgroup controller (${why('the probe found none')})`, 'use a Linux host with cgroup v1 memory or cgroup v2 with the memory controller');
  }
  if (!f.canCreateCgroup) {
    return new HostProblemError('no-cgroup-permission', f.host, `${f.host}: cannot create memory cgroups (${why('not root and no sudo -n')})`, 'connect as root, or allow this user passwordless sudo (`sudo -n`)');
  }
  if (f.kernelLog.length === 0) {
    return new HostProblemError('no-kernel-log', f.host, `${f.host}: the kernel log cannot be read (no /dev/kmsg, dmesg or journalctl access), so OOM kills would go unseen`, 'connect as root, or give this user sudo -n or the systemd-journal / adm group');
  }
  return null;
}
