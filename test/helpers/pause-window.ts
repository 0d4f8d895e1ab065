// The samples a frozen target must hold flat: stamped (host clock) after the
// freeze was confirmed and before the thaw was asked for, 25 ms in from each
// end for the half round trip the host clock is known to. Neither arrival order
// (a line read before the freeze can arrive after the pause event) nor the
// pause's own stamp (taken before the freeze is written) marks the frozen span.
import type { EventOf, LabEvent } from '../../electron/lab/events';

export const CLOCK_SLACK_MS = 25;

export function frozenSamples(events: LabEvent[], pause: EventOf<'pause'>, resume: EventOf<'resume'>): EventOf<'sample'>[] {
  if (pause.frozenAt === undefined) throw new Error(`the pause at ${pause.t} ms says no freeze was confirmed`);
  const from = pause.frozenAt + CLOCK_SLACK_MS;
  const to = resume.t - CLOCK_SLACK_MS;
  return events.filter((e): e is EventOf<'sample'> => e.kind === 'sample' && e.cgroup === 'target' && e.t > from && e.t < to);
}
