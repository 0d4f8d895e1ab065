// The Target contract: one memory-limited place on the host where workloads
// run. The runner speaks only to this interface and its errors; the drivers
// implement it (targets/cgroup.ts v1/v2, docker.ts, pod.ts), the factory picks
// one (targets/factory.ts) and the sweep removes what crashed runs left
// (targets/sweep.ts). Every driver goes through Transport.exec/stream only, so
// `--host local` and SSH run the same code.
//
// Everything a target creates is named oomlab-<runId> and carries an owner
// mark (an owner record on tmpfs for cgroups, labels for containers and pods)
// and a lease (targets/lease.ts) held while the run's channel lives, so a sweep
// removes only what no live run holds. docs/ARCHITECTURE.md draws the layouts.

import type { ProcessRow, MemorySample, TargetKind } from '../events';
import type { OomKillReport } from '../kernel/report';
import type { EmitEvent, RemoteContext } from '../remote';
import type { CgroupKind } from '../sampler/source';
import type { WorkloadHandle, WorkloadSpec } from '../workloads/spec';
import type { DockerTargetOptions } from './docker-options';
import type { PodTargetOptions } from './pod-options';
import { LabError } from '../errors';

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

export interface Target {
  readonly kind: TargetKind;
  /** Label used in MemorySample.cgroup / processes events: always "target" for the run's target. */
  readonly id: string;
  /** oomlab-<runId> */
  readonly name: string;
  /** Absolute cgroupfs directory of the target (what the sampler reads). */
  readonly path: string;
  /** Which memory cgroup files are at `path` (a container's cgroup is v1 or v2 underneath). */
  readonly cgroupKind: CgroupKind;
  /** As /proc/PID/cgroup and OOM reports print it: /oomlab/oomlab-<runId>. */
  readonly hierarchyPath: string;
  readonly limitBytes: number | null;
  readonly swapPinned: boolean;
  /** Where the owner record lives on the host. */
  readonly ownerRecord: string;
  /** Per-run scratch directory on a real disk (cgroup targets: /var/tmp/oomlab-<runId>.<random>, made by create()), removed by destroy(). */
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
  /** Which workload a cgroup path from a kernel report / /proc/PID/cgroup belongs to, or null. */
  workloadOfCgroup(hierarchyPath: string | null): string | null;
  /** SIGKILL every member (leaves too), wait until cgroup.procs are empty, rmdir leaves then target, remove the record. Idempotent, retries. */
  destroy(): Promise<void>;
  /**
   * Start one workload inside the target (its own leaf cgroup, docker exec or the
   * container's main process, the runtime's exec into a pod's container); workload ids are
   * [A-Za-z0-9][A-Za-z0-9_.-]{0,47}.
   */
  startWorkload(ctx: RemoteContext, id: string, spec: WorkloadSpec, onEvent: EmitEvent): WorkloadHandle;
  /**
   * Freeze every process of the target while the run is paused (targets/freeze.ts); resolves with how it was
   * frozen, throws a TargetError when the kernel did not finish (thawed again). Absent: this target cannot freeze.
   */
  freeze?(): Promise<string>;
  thaw?(): Promise<void>;
  /** Why freeze() cannot work here (no freezer hierarchy), or null when it can. */
  freezeProblem?(): string | null;
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

export interface SweepOptions {
  /** Target names (oomlab-<runId>) to leave alone, e.g. the run that is starting. */
  keep?: string[];
  /** Also remove targets whose run still holds its lease (a run in progress). */
  force?: boolean;
  /** Told of each oomlab-looking thing the sweep did not remove because the lab did not make it ("<what>: not ours, left alone (why)"). */
  onLeftAlone?: (what: string) => void;
}
