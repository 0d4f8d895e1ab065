// Pod, container and Kubernetes Event -> `status` events on the timeline, and
// plain words for the states that stop a pod from ever running. Pure.

import type { EventOf } from '../events';
import type { ContainerStatus, KubeEvent, Pod } from './objects';

export type StatusBody = Omit<EventOf<'status'>, 't'>;

const OOM = 'OOMKilled';

/** The pod as a whole: phase, pod-level reason, restarts summed, any OOM kill in a state or last state. */
export function podStatus(pod: Pod): StatusBody {
  const waiting = pod.containerStatuses.find((c) => c.state.kind === 'waiting' && c.state.reason)?.state.reason ?? null;
  return {
    kind: 'status',
    subject: 'pod',
    name: `${pod.namespace}/${pod.name}`,
    phase: pod.deletionTimestamp ? 'Terminating' : pod.phase,
    reason: pod.reason ?? waiting,
    exitCode: null,
    restartCount: pod.containerStatuses.reduce((n, c) => n + c.restartCount, 0),
    oomKilled: pod.containerStatuses.some((c) => c.state.reason === OOM || c.lastState.reason === OOM),
    message: pod.message ?? unschedulable(pod),
  };
}

/**
 * One container: phase is the state (waiting / running / terminated), reason the
 * state's (CrashLoopBackOff, OOMKilled, ContainerCreating), exit code and OOM
 * flag of the state or, while it waits or runs again, of the last termination.
 */
export function containerStatus(pod: Pod, c: ContainerStatus): StatusBody {
  const term = c.state.kind === 'terminated' ? c.state : c.lastState.kind === 'terminated' ? c.lastState : null;
  const last = c.state.kind !== 'terminated' && term ? `last terminated: ${term.reason ?? 'unknown reason'}, exit code ${term.exitCode ?? '?'}` : null;
  return {
    kind: 'status',
    subject: 'container',
    name: `${pod.namespace}/${pod.name}/${c.name}`,
    phase: c.state.kind === 'none' ? 'unknown' : c.state.kind,
    reason: c.state.reason,
    exitCode: term?.exitCode ?? null,
    restartCount: c.restartCount,
    oomKilled: term?.reason === OOM,
    message: [c.state.message, last].filter(Boolean).join('; ') || null,
  };
}

/** Every status event a pod object gives: the pod, then each container. */
export function statusesOf(pod: Pod): StatusBody[] {
  return [podStatus(pod), ...pod.containerStatuses.map((c) => containerStatus(pod, c))];
}

/** A Kubernetes Event about the pod (Scheduled, Pulled, Started, Killing, BackOff, ...). */
export function eventStatus(pod: { namespace: string; name: string; phase: string }, ev: KubeEvent): StatusBody {
  const what = ev.involvedObject.fieldPath ? ` (${ev.involvedObject.fieldPath})` : '';
  return {
    kind: 'status',
    subject: 'pod',
    name: `${pod.namespace}/${pod.name}`,
    phase: pod.phase,
    reason: ev.reason,
    exitCode: null,
    restartCount: null,
    oomKilled: false,
    message: `${ev.type ?? 'Normal'} ${ev.reason ?? ''}${what}: ${ev.message ?? ''}${ev.count > 1 ? ` (×${ev.count})` : ''}${ev.source ? ` — ${ev.source}` : ''}`,
  };
}

function unschedulable(pod: Pod): string | null {
  const c = pod.conditions.find((x) => x.type === 'PodScheduled' && x.status === 'False');
  return c ? `${c.reason ?? 'not scheduled'}: ${c.message ?? ''}`.trim() : null;
}

/** Waiting reasons after which the container will not start by itself. */
const STUCK: Record<string, string> = {
  ErrImagePull: 'the node could not pull the image',
  ImagePullBackOff: 'the node could not pull the image and is backing off',
  ErrImageNeverPull: 'the image is not on the node and its pull policy is Never',
  InvalidImageName: 'the image name is not valid',
  CreateContainerConfigError: 'the container configuration is invalid',
  CreateContainerError: 'the runtime could not create the container',
  RunContainerError: 'the runtime could not start the container',
};

/**
 * Why the pod will not reach Running, in plain words, or null while it may
 * still get there. For air-gapped nodes the image must be imported first.
 */
export function whyNotRunning(pod: Pod, container: string): string | null {
  const where = `pod ${pod.namespace}/${pod.name}`;
  const sched = pod.conditions.find((x) => x.type === 'PodScheduled' && x.status === 'False' && x.reason === 'Unschedulable');
  if (sched) return `${where} cannot be scheduled: ${sched.message ?? 'no node fits it'}`;
  if (pod.phase === 'Failed' || pod.phase === 'Succeeded') return `${where} ended (${pod.phase}${pod.reason ? `, ${pod.reason}` : ''}${pod.message ? `: ${pod.message}` : ''}) before it was running`;
  const c = pod.containerStatuses.find((s) => s.name === container);
  if (c && c.state.kind === 'waiting' && c.state.reason && STUCK[c.state.reason]) {
    return `${where}: ${STUCK[c.state.reason]} (${c.state.reason}${c.state.message ? `: ${c.state.message}` : ''})`;
  }
  if (c && c.state.kind === 'terminated') return `${where}: container ${container} ended right away (${c.state.reason ?? 'no reason'}, exit code ${c.state.exitCode ?? '?'})`;
  return null;
}

/** The container is running and the runtime has given it an id. */
export function runningContainer(pod: Pod, container: string): ContainerStatus | null {
  const c = pod.containerStatuses.find((s) => s.name === container);
  return c && c.state.kind === 'running' && c.containerID ? c : null;
}
