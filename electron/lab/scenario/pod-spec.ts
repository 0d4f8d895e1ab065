// Scenario `target: {kind: pod, ...}` -> the pod part of a TargetSpec. Lives on
// the scenario side: targets/ knows nothing of the scenario format.
import type { Scenario } from './schema';
import type { PodTargetOptions } from '../targets/pod-options';

export function podSpecOf(target: Scenario['target']): { pod?: PodTargetOptions } {
  if (target.kind !== 'pod') return {};
  return {
    pod: {
      image: target.image,
      namespace: target.namespace,
      command: target.command,
      restartPolicy: target.restartPolicy,
      memoryRequest: target.memoryRequest ?? null,
      cpuRequest: target.cpuRequest ?? null,
      cpuLimit: target.cpuLimit ?? null,
      kubeconfig: target.kubeconfig ?? null,
    },
  };
}
