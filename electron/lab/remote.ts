// What every remote loop of a run is given: the host (its Transport and probed
// facts), the run's clock, and where its events go. Shared by the sampler, the
// kernel follower, the workload runners and the targets that report themselves.

import type { LabEvent } from './events';
import type { HostFacts } from './host/facts';
import type { Transport } from './ssh/transport';
import type { HostClock } from './sampler/clock';

export interface RemoteContext {
  transport: Transport;
  facts: HostFacts;
  clock: HostClock;
}

export type EmitEvent = (event: LabEvent) => void;
