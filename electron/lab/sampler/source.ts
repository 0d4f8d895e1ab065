// What the sampler reads: one memory cgroup directory, the flavour of its
// files, and the series its samples are labelled with. A Target satisfies it
// (id, cgroupKind, path); a pod target also samples its pod level with one.

export type CgroupKind = 'cgroup-v1' | 'cgroup-v2';

export interface SampledCgroup {
  /** Series label of its samples and processes events ("target", "pod"). */
  readonly id: string;
  /** Which memory cgroup files are at `path`. */
  readonly cgroupKind: CgroupKind;
  /** Absolute cgroupfs directory; the workload leaves (wl-*) under it are read too. */
  readonly path: string;
}
