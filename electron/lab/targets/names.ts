// Names and paths of what the lab creates on a host. Every name is validated
// here so that only safe characters ever become a path (paths are still quoted).

export const LAB_PARENT = 'oomlab';
export const TARGET_PREFIX = 'oomlab-';
export const LEAF_PREFIX = 'wl-';
/** Owner records: cgroupfs takes no files of ours, so they live on tmpfs beside it. */
export const RECORD_DIR = '/run/oomlab';
/**
 * Per-run scratch directories (the page-cache writer's file) are made by
 * mktemp -d as <prefix><runId>.<random>; a real disk, not tmpfs, so it is page cache.
 */
export const SCRATCH_PREFIX = '/var/tmp/oomlab-';
/**
 * v1 memsw is set this much above the memory limit. With memsw == limit, kernel
 * 6.18 charges memsw first and neither failcnt moves on an OOM (measured here);
 * with a little headroom the memory counter hits its limit first and failcnt
 * counts, while at most this much can go to swap.
 */
export const MEMSW_HEADROOM_BYTES = 2 * 1024 * 1024;

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const WORKLOAD_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/;

export function checkRunId(runId: string): string {
  if (!RUN_ID.test(runId)) throw new Error(`run id ${JSON.stringify(runId)}: use 1-64 of A-Z a-z 0-9 _ . - (starting with a letter or digit)`);
  return runId;
}

export function checkWorkloadId(id: string): string {
  if (!WORKLOAD_ID.test(id)) throw new Error(`workload id ${JSON.stringify(id)}: use 1-48 of A-Z a-z 0-9 _ . - (starting with a letter or digit)`);
  return id;
}

export function targetName(runId: string): string {
  return TARGET_PREFIX + checkRunId(runId);
}

export function leafName(workload: string): string {
  return LEAF_PREFIX + checkWorkloadId(workload);
}

/** Inverse of leafName for a path like /oomlab/oomlab-r1/wl-hog (or .../wl-hog/deeper). */
export function workloadFromPath(targetHierarchyPath: string, path: string | null): string | null {
  if (!path) return null;
  const prefix = `${targetHierarchyPath}/${LEAF_PREFIX}`;
  if (!path.startsWith(prefix)) return null;
  const id = path.slice(prefix.length).split('/')[0] ?? '';
  return WORKLOAD_ID.test(id) ? id : null;
}

export function checkMount(mount: string | null, host: string): string {
  if (!mount) throw new Error(`${host}: the probe found no memory cgroup mount`);
  if (!/^\/[A-Za-z0-9_./-]*$/.test(mount) || mount.includes('..')) throw new Error(`${host}: odd memory cgroup mount ${JSON.stringify(mount)}`);
  return mount.replace(/\/+$/, '') || '/';
}

/** Where one workload lives inside a cgroup or container target (its leaf cgroup). */
export interface WorkloadCgroup {
  workload: string;
  /** Absolute cgroupfs directory of the leaf. */
  dir: string;
  /** <dir>/cgroup.procs: the wrapper writes its own pid here first. */
  procsFile: string;
  /** Path as /proc/PID/cgroup and kernel reports print it, e.g. /oomlab/oomlab-r1/wl-hog. */
  hierarchyPath: string;
}
