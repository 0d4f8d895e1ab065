// A limit that cannot hurt the host. The lab promises that its kills happen in
// its own cgroup: a limit of 0 kills every process at once, no limit turns an
// expected kill into the host's own OOM killer choosing among everything it
// runs, and a limit at or above what the host can give lets the workload take
// the whole machine before the cgroup ever reaches it. Refused before anything
// is created, unless the user says they know why.

import type { HostFacts } from '../host/facts';
import { LabError } from '../errors';
import type { LoadedScenario } from './load';
import type { Scenario } from './schema';
import { meets } from './judging';
import { formatBytes } from './units';

export const ALLOW_LARGE_LIMIT_FLAG = '--allow-large-limit';

export class UnsafeLimitError extends LabError {
  constructor(message: string) {
    super('input', message);
    this.name = 'UnsafeLimitError';
  }
}

/** Whether a scenario waits for, or expects, an OOM kill. */
export function expectsKill(s: Scenario): boolean {
  return s.steps.some(
    (st) =>
      st.actions.some((a) => ('wait' in a && a.wait.oomKill !== undefined) || 'trace' in a) ||
      st.expect.some((e) => 'oomKilled' in e || 'victim' in e || 'beforeKill' in e || 'afterKill' in e || 'traced' in e || ('oomKills' in e && !meets(0, typeof e.oomKills === 'number' ? { equals: e.oomKills } : e.oomKills))),
  );
}

/** Why this scenario's limit could hurt the host, in one line with the numbers, or null. */
export function unsafeLimit(loaded: LoadedScenario, facts: Pick<HostFacts, 'host' | 'memTotalBytes' | 'memAvailableBytes'>): UnsafeLimitError | null {
  const { limit } = loaded.scenario;
  const host = `${facts.host} (MemTotal ${formatBytes(facts.memTotalBytes)} = ${facts.memTotalBytes} B, MemAvailable ${formatBytes(facts.memAvailableBytes)} = ${facts.memAvailableBytes} B)`;
  const refuse = (why: string) => new UnsafeLimitError(`${loaded.file}: limit ${why} on ${host}; use a smaller limit (--param limit=...) or ${ALLOW_LARGE_LIMIT_FLAG} if you know why`);
  if (limit === 0) return refuse('0 leaves nothing to run in: every process in the target would be killed at once');
  if (limit === null) return expectsKill(loaded.scenario) ? refuse('max: the kill this scenario expects would be the host\'s own OOM killer choosing among everything it runs') : null;
  if (limit >= facts.memAvailableBytes) {
    return refuse(`${formatBytes(limit)} (${limit} B) is at or above what the host can give: the host, not the target, would run out of memory`);
  }
  return null;
}
