// What the probe learns about a host. `oomlab probe --json` prints this object,
// recordings carry it in their header, and targets/workloads decide from it.

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
}
