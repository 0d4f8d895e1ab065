// docker inspect -> the `status` event (subject container). Pure.
//
// Docker's OOMKilled is a container-level flag: dockerd sets it when the
// runtime reports an OOM event in the container's cgroup, and shows it once the
// container has stopped. A running container whose exec'd child was OOM-killed
// reads OOMKilled=false (measured on dockerd 20.10); the same container, killed
// later for any reason, reads OOMKilled=true. So the flag is read when the
// workload ends, not at teardown.

import type { EventOf } from '../events';
import type { ContainerInfo } from './inspect';

export type StatusBody = Omit<EventOf<'status'>, 't'>;

export function containerStatus(info: ContainerInfo): StatusBody {
  const s = info.state;
  let reason: string | null = null;
  if (!s.running) {
    if (s.oomKilled) reason = 'OOMKilled';
    else if (s.error) reason = s.error;
    else if (s.status === 'exited') reason = s.exitCode === 0 ? 'Completed' : 'Error';
  }
  return {
    kind: 'status',
    subject: 'container',
    name: info.name,
    phase: s.status,
    reason,
    // While it runs, docker's ExitCode is a stale 0: say "none" instead.
    exitCode: s.running ? null : s.exitCode,
    restartCount: info.restartCount,
    oomKilled: s.oomKilled,
  };
}
