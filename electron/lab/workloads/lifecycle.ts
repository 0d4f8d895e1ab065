// Pieces every workload runner shares (cgroup leaf, docker exec, pod nsenter):
// turning the wrapper's host timestamps into run time, and the started/exited
// promises a WorkloadHandle hands out.

import { parseEpochSeconds, type HostClock } from '../sampler/clock';
import type { WorkloadExit, WorkloadStart } from './spec';

/** Run time of a wrapper marker's `date +%s.%N`, or the engine's estimate when the host printed none. */
export function markerTime(clock: HostClock): (hostEpoch?: string) => number {
  return (hostEpoch) => {
    if (hostEpoch) {
      try {
        return clock.toRunTime(parseEpochSeconds(hostEpoch));
      } catch {
        /* date without %N */
      }
    }
    return clock.now();
  };
}

/** The started/exited promises of one workload; `started` rejects if it exits before starting. */
export function workloadPromises() {
  let resolveStarted!: (e: WorkloadStart) => void;
  let rejectStarted!: (e: Error) => void;
  const started = new Promise<WorkloadStart>((res, rej) => {
    resolveStarted = res;
    rejectStarted = rej;
  });
  started.catch(() => {});
  let resolveExited!: (e: WorkloadExit) => void;
  const exited = new Promise<WorkloadExit>((res) => (resolveExited = res));
  return { started, exited, resolveStarted, rejectStarted, resolveExited };
}
