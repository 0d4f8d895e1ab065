import { LabError } from '../errors';
// Parses `docker info --format '{{json .}}'`: whether the daemon answered, and
// how it lays out cgroups (driver cgroupfs|systemd, cgroup version 1|2), which
// decides where a container's cgroup lives. Pure; fixture from dockerd 20.10.

export interface DockerDaemon {
  serverVersion: string;
  /** "cgroupfs" or "systemd" (or "none" for rootless without cgroups). */
  cgroupDriver: string;
  /** "1" or "2"; older daemons do not say, then null. */
  cgroupVersion: '1' | '2' | null;
  /** The daemon can set a memory limit / a swap limit (memsw accounting on v1). */
  memoryLimit: boolean;
  swapLimit: boolean;
  rootless: boolean;
  /** The daemon's own warnings (e.g. "No swap limit support"). */
  warnings: string[];
}

export class DockerUnavailableError extends LabError {
  constructor(message: string) {
    super('host', message);
    this.name = 'DockerUnavailableError';
  }
}

/**
 * `host` names the machine in errors. A client that cannot reach its daemon
 * still prints JSON, with an empty ServerVersion: that is "not answering".
 */
export function parseDockerInfo(text: string, host: string, stderr = ''): DockerDaemon {
  let raw: unknown;
  try {
    raw = JSON.parse(text.trim());
  } catch {
    throw new DockerUnavailableError(`${host}: docker info printed no JSON${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
  }
  if (typeof raw !== 'object' || raw === null) throw new DockerUnavailableError(`${host}: docker info printed ${JSON.stringify(raw)}`);
  const o = raw as Record<string, unknown>;
  const serverVersion = typeof o.ServerVersion === 'string' ? o.ServerVersion : '';
  const serverErrors = Array.isArray(o.ServerErrors) ? o.ServerErrors.filter((x): x is string => typeof x === 'string') : [];
  if (!serverVersion) {
    const why = [...serverErrors, stderr.trim()].filter(Boolean).join('; ');
    throw new DockerUnavailableError(`${host}: the Docker daemon does not answer${why ? `: ${why}` : ''}`);
  }
  const security = Array.isArray(o.SecurityOptions) ? o.SecurityOptions.filter((x): x is string => typeof x === 'string') : [];
  const cv = o.CgroupVersion;
  return {
    serverVersion,
    cgroupDriver: typeof o.CgroupDriver === 'string' ? o.CgroupDriver : 'cgroupfs',
    cgroupVersion: cv === '1' || cv === '2' ? cv : null,
    memoryLimit: o.MemoryLimit === true,
    swapLimit: o.SwapLimit === true,
    rootless: security.some((s) => /(^|,)name=rootless(,|$)/.test(s)),
    warnings: Array.isArray(o.Warnings) ? o.Warnings.filter((x): x is string => typeof x === 'string') : [],
  };
}
