// A scenario's (or a step's) `requires`: refused before anything is created
// when the host cannot meet it, skipped per step.

import type { HostFacts } from '../host/facts';
import type { Requirements } from './schema';
import { hostCgroupVersion } from './host-reads';

/** Why a host cannot run a scenario (or a step) with these requirements, or null. Host capabilities asked lazily. */
export async function unmetRequirement(req: Requirements | undefined, facts: HostFacts, ask: { lowerOomScoreAdj: () => Promise<boolean> }): Promise<string | null> {
  if (!req) return null;
  if (req.cgroup && hostCgroupVersion(facts) !== req.cgroup) {
    return `needs cgroup ${req.cgroup}; ${facts.host} has its memory controller on cgroup ${hostCgroupVersion(facts)}`;
  }
  if (req.lowerOomScoreAdj && !(await ask.lowerOomScoreAdj())) {
    return `needs to lower oom_score_adj below 0, which root on ${facts.host} may not do (no CAP_SYS_RESOURCE)`;
  }
  return null;
}
