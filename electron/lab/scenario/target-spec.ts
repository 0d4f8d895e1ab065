// The scenario's target as the drivers take it. Built once per run: the same
// spec creates the target and, after a dropped link, finds it again to remove it.

import type { TargetSpec } from '../targets/target';
import { podSpecOf } from './pod-spec';
import type { Scenario } from './schema';

export function targetSpecOf(s: Scenario, runId: string, appVersion: string): TargetSpec {
  const docker = s.target.kind === 'docker' ? { docker: { image: s.target.image, mode: s.target.mode, network: s.target.network } } : {};
  return { runId, limitBytes: s.limit, swap: s.swap, appVersion, ...docker, ...podSpecOf(s.target) };
}
