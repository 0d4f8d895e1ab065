// What the probe learns about a host. `oomlab probe --json` prints this object,
// recordings carry it in their header, and targets/workloads decide from it.

/**
 * Where the memory controller lives: 'v1' a v1 memory hierarchy (even when
 * systemd also mounts an empty cgroup2 at /sys/fs/cgroup/unified); 'v2' the
 * unified hierarchy at /sys/fs/cgroup; 'hybrid' v1 hierarchies for other
 * controllers but memory bound to a cgroup2 mount.
 */
export type CgroupMode = 'v1' | 'v2' | 'hybrid';

export interface HostFacts {
  /** "local" or user@host:port. */
  host: string;
  kernel: string;
  distro: string | null;
  arch: string;
  cgroup: CgroupMode;
  /** Mount point of the memory controller: /sys/fs/cgroup/memory (v1) or /sys/fs/cgroup (v2). */
  memoryMount: string | null;
  /** v1: the memory hierarchy is mounted; v2: `memory` is in the root's cgroup.subtree_control. */
  memoryController: boolean;
  /** A memory cgroup was created and removed during the probe. */
  canCreateCgroup: boolean;
  /** v1 only: memory.memsw.* exists, so swap can be pinned per cgroup. */
  memswAccounting: boolean;
  /** tool name -> false (absent) or a version string / true. */
  tools: Record<string, string | boolean>;
  /** How the kernel log can be followed, best first; empty when it cannot be read. */
  kernelLog: Array<'kmsg' | 'dmesg' | 'journalctl'>;
  kubeconfig: string | null;
  memTotalBytes: number;
  memAvailableBytes: number;
  swapTotalBytes: number;
  overcommitMemory: number;
  pageSize: number;
  root: boolean;
  sudo: boolean;
  /** Things missing and why they matter, in plain words. */
  problems: string[];

  // Added by the full probe (host/probe.ts); optional so older recordings still type-check.
  /** Remote login user name. */
  user?: string;
  /** A cgroup2 mount next to v1 hierarchies (systemd's /sys/fs/cgroup/unified), when there is one. */
  unifiedMount?: string | null;
  /** v2 (or hybrid with memory on cgroup2): controllers available / enabled for children at memoryMount. */
  v2Controllers?: string[];
  v2SubtreeControl?: string[];
  /** The memory cgroup the login shell sits in ("/" at the root). */
  selfMemoryCgroup?: string | null;
  /** tool name -> absolute path, for tools present. */
  toolPaths?: Record<string, string>;
  /** Docker daemon version when `docker info` answered, else null. */
  dockerDaemon?: string | null;
  /** How to run kubectl: "kubectl", "k3s kubectl", or null. */
  kubectl?: 'kubectl' | 'k3s kubectl' | null;
  /** The v1 freezer hierarchy's mount (pauses freeze the target there), when there is one. */
  freezerMount?: string | null;
  /** kernel.dmesg_restrict (1: only privileged users read the kernel log). */
  dmesgRestrict?: number | null;
}
