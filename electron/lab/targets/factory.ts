// Which driver a TargetSpec gets: a pod, a container, or a bare cgroup (v1/v2).

import type { HostFacts } from '../host/facts';
import type { Transport } from '../ssh/transport';
import { createCgroupTarget } from './cgroup';
import { createDockerTarget } from './docker';
import { createPodTarget } from './pod';
import type { Target, TargetSpec } from './target';

/** A cgroup target, or a container when spec.docker is given, or a pod when spec.pod is. */
export function createTarget(transport: Transport, facts: HostFacts, spec: TargetSpec): Target {
  if (spec.pod) return createPodTarget(transport, facts, spec);
  return spec.docker ? createDockerTarget(transport, facts, spec) : createCgroupTarget(transport, facts, spec);
}
