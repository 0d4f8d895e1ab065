// The target interface: one memory-limited place on the host where workloads
// run (cgroup v1 / v2, a Docker container in targets/docker.ts; pod later). The runner only speaks to
// this interface; drivers live next to it (cgroup-v1.ts, cgroup-v2.ts).
//
// Entry points of the remote side (all go through Transport.exec/stream only,
// so `--host local` and SSH run the same code):
//   targets/target.ts    Target, TargetSpec, Knob, createTarget(), sweepLeftovers()
//   workloads/spec.ts    WorkloadSpec, startWorkload() -> WorkloadHandle
//   sampler/sampler.ts   startSampler() -> SamplerHandle (one remote loop per run)
//   kernel/follower.ts   startKernelFollower() -> FollowerHandle
//   sampler/clock.ts     HostClock: host wall-clock <-> run time (t)
//
// Layout on the host (one lab parent; everything named oomlab-*):
//   v1: <memoryMount>/oomlab/oomlab-<runId>/           the target, carries the limit
//       <memoryMount>/oomlab/oomlab-<runId>/wl-<id>/   one leaf per workload (no limit of its own)
//   v2: <memoryMount>/oomlab/oomlab-<runId>/... same shape; +memory is enabled in the
//       subtree_control of the root, of oomlab and of the target so leaves are memory cgroups.
// A leaf per workload is what lets an OOM report's task_memcg name the workload
// even when the victim is a child the engine never saw (stress forks its workers).
// Owner record: cgroupfs allows no files of ours, so it is a JSON file
//   /run/oomlab/oomlab-<runId>.json  {marker, runId, name, kind, path, createdAt, appVersion}
// (tmpfs: it disappears on reboot exactly like the cgroups). While a run lives,
// one small remote process holds a shared flock on it (the lease; it dies with
// the run's channel). The sweep removes every oomlab-* target under the lab
// parent whose lease is not held (a crashed or finished run), killing members
// first, plus orphaned records and scratch dirs, and the lab parent when empty.
// Swap: v1 pins it with memsw = limit + 2 MiB (names.ts says why), v2 with
// memory.swap.max = 0. Counters (sampler): failcnt is v1 memory.failcnt +
// memsw.failcnt, v2 memory.events "max"; v1 oom_kill is summed over the leaves
// because v1 counts a kill only in the victim's own cgroup.

import type { HostFacts } from '../host/facts';
import type { MemorySample, ProcessRow, TargetKind } from '../events';
import type { Transport } from '../ssh/transport';
import type { OomKillReport } from '../kernel/report';
import type { EmitEvent, RemoteContext, WorkloadHandle, WorkloadSpec } from '../workloads/spec';
import type { DockerTargetOptions } from './docker';
import type { PodTargetOptions } from './pod';
import { createTarget as createCgroupTarget, sweepLeftovers as sweepCgroupLeftovers, type SweepOptions } from './cgroup';
import { createDockerTarget, sweepDockerLeftovers } from './docker';
import { createPodTarget, sweepPodLeftovers } from './pod';
import { LabError } from '../errors';
import { SudoRefusedError } from '../ssh/errors';

/** Knob name -> the value it takes. null means "no limit" (max / -1). */
export interface KnobValues {
  /** v1 memory.limit_in_bytes (+ memsw when swap is pinned) / v2 memory.max. */
  limit: number | null;
  /** v1 memory.oom_control: true = the OOM killer is disabled, tasks stall (under_oom=1). */
  'oom-kill-disable': boolean;
  /** v1 memory.soft_limit_in_bytes. */
  'soft-limit': number | null;
  /** v2 memory.high (throttle + reclaim above it, no kill). */
  high: number | null;
  /** v2 memory.oom.group: an OOM kill takes every process of the target. */
  'oom-group': boolean;
}
export type Knob = keyof KnobValues;

/** Which knobs each driver accepts; setKnob() throws UnsupportedKnobError otherwise. */
export const KNOBS_BY_KIND: Readonly<Record<'cgroup-v1' | 'cgroup-v2' | 'docker', readonly Knob[]>> = {
  'cgroup-v1': ['limit', 'oom-kill-disable', 'soft-limit'],
  'cgroup-v2': ['limit', 'high', 'oom-group'],
  // docker update --memory (and --memory-swap when swap is pinned)
  docker: ['limit'],
};

export interface TargetSpec {
  /** Becomes the name oomlab-<runId>; [A-Za-z0-9][A-Za-z0-9_.-]{0,63}. */
  runId: string;
  /** Memory limit in bytes; null = unlimited. */
  limitBytes: number | null;
  /**
   * 'pinned' (default): no swap for the target, so hitting the limit means an OOM
   * (v1 memsw.limit = limit when the kernel has memsw accounting; v2 memory.swap.max=0).
   * 'allowed': the kernel's default swap behaviour.
   */
  swap?: 'pinned' | 'allowed';
  /** Written into the owner record. */
  appVersion: string;
  /** Force a driver; default from facts.cgroup ('hybrid' counts as v1 when memoryMount is a v1 mount). */
  kind?: 'cgroup-v1' | 'cgroup-v2';
  /** Present: a Docker container target (targets/docker.ts) instead of a bare cgroup. */
  docker?: DockerTargetOptions;
  /** Present: a Kubernetes pod (targets/pod.ts), driven with kubectl on the node. */
  pod?: PodTargetOptions;
}

/** Where one workload lives inside the target (its leaf cgroup). */
export interface WorkloadCgroup {
  workload: string;
  /** Absolute cgroupfs directory of the leaf. */
  dir: string;
  /** <dir>/cgroup.procs: the wrapper writes its own pid here first. */
  procsFile: string;
  /** Path as /proc/PID/cgroup and kernel reports print it, e.g. /oomlab/oomlab-r1/wl-hog. */
  hierarchyPath: string;
}

export interface Target {
  readonly kind: TargetKind;
  /** Label used in MemorySample.cgroup / processes events: always "target" for the run's target. */
  readonly id: string;
  /** oomlab-<runId> */
  readonly name: string;
  /** Absolute cgroupfs directory of the target. */
  readonly path: string;
  /** As /proc/PID/cgroup and OOM reports print it: /oomlab/oomlab-<runId>. */
  readonly hierarchyPath: string;
  readonly limitBytes: number | null;
  readonly swapPinned: boolean;
  /** Where the owner record lives on the host. */
  readonly ownerRecord: string;
  /** Per-run scratch directory on a real disk (/var/tmp/oomlab-<runId>), removed by destroy(). */
  readonly scratchDir: string;
  /** Things create() could not do as asked (e.g. swap could not be pinned), for `warning` events. */
  readonly warnings: readonly string[];

  /** mkdir the lab parent + target, write the owner record, limit and swap pin. Throws with the host and file on failure. */
  create(): Promise<void>;
  setKnob<K extends Knob>(knob: K, value: KnobValues[K]): Promise<void>;
  /** One-shot read of the counters (the sampler is the streaming way). */
  readSample(): Promise<MemorySample>;
  /** Member processes of the target and all its leaves, with `workload` filled from the leaf. */
  listProcesses(): Promise<ProcessRow[]>;
  /** Create (idempotent) the leaf cgroup for a workload id ([A-Za-z0-9][A-Za-z0-9_.-]{0,47}). */
  prepareWorkload(workload: string): Promise<WorkloadCgroup>;
  /** Which workload a cgroup path from a kernel report / /proc/PID/cgroup belongs to, or null. */
  workloadOfCgroup(hierarchyPath: string | null): string | null;
  /** SIGKILL every member (leaves too), wait until cgroup.procs are empty, rmdir leaves then target, remove the record. Idempotent, retries. */
  destroy(): Promise<void>;
  /**
   * Container targets: which memory cgroup files the sampler reads at `path`
   * (kind is 'docker', the cgroup underneath is v1 or v2). Absent: `kind` says.
   */
  readonly cgroupKind?: 'cgroup-v1' | 'cgroup-v2';
  /** Container targets run workloads their own way (docker exec / the container's main process); startWorkload() defers to this. */
  startWorkload?(ctx: RemoteContext, id: string, spec: WorkloadSpec, onEvent: EmitEvent): WorkloadHandle;
  /** Targets that report progress and status on the timeline themselves (pods): called once, before create(). */
  attach?(ctx: RemoteContext, onEvent: EmitEvent): void;
  /** Told of every OOM kill the runner counts as this run's (pods trace it back to the pod by uid). */
  onOomKill?(report: OomKillReport): void;
}

export class TargetError extends LabError {
  constructor(message: string) {
    super('target', message);
    this.name = 'TargetError';
  }
}

export class UnsupportedKnobError extends TargetError {
  constructor(
    readonly targetKind: TargetKind,
    readonly knob: string,
  ) {
    super(`knob "${knob}" is not available on a ${targetKind} target (available: ${(KNOBS_BY_KIND[targetKind as 'cgroup-v1'] ?? []).join(', ')})`);
    this.name = 'UnsupportedKnobError';
  }
}

/** A cgroup target, or a container when spec.docker is given. */
export function createTarget(transport: Transport, facts: HostFacts, spec: TargetSpec): Target {
  if (spec.pod) return createPodTarget(transport, facts, spec);
  return spec.docker ? createDockerTarget(transport, facts, spec) : createCgroupTarget(transport, facts, spec);
}

/**
 * Remove leftovers of earlier runs: oomlab-* cgroups (cgroup.ts) and containers
 * labelled oomlab (docker.ts; nothing when the host has no Docker). Both run
 * even if one fails; then the failure is thrown.
 */
export async function sweepLeftovers(transport: Transport, facts: HostFacts, opts: SweepOptions = {}): Promise<string[]> {
  const removed: string[] = [];
  const errors: Error[] = [];
  // Pods first: deleting them through the API lets the kubelet remove their containers.
  for (const sweep of [sweepPodLeftovers, sweepCgroupLeftovers, sweepDockerLeftovers]) {
    try {
      removed.push(...(await sweep(transport, facts, opts)));
    } catch (e) {
      errors.push(e as Error);
    }
  }
  // A refused sudo is the one thing to tell the user: it refused every sweep alike.
  const refused = errors.find((e) => e instanceof SudoRefusedError);
  if (refused) throw refused;
  if (errors.length) throw new TargetError(`${errors.map((e) => e.message).join('; ')}${removed.length ? ` (removed: ${removed.join(', ')})` : ''}`);
  return removed;
}

export type { SweepOptions } from './cgroup';
