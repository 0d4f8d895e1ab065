// Removing what earlier runs left behind, for every target kind at once (run
// start unless --no-sweep, and `oomlab cleanup`).

import type { HostFacts } from '../host/facts';
import type { Transport } from '../ssh/transport';
import { sweepCgroupLeftovers } from './cgroup-sweep';
import { sweepDockerLeftovers } from './docker-sweep';
import { sweepPodLeftovers } from './pod-sweep';
import { SudoRefusedError } from '../ssh/errors';
import { TargetError, type SweepOptions } from './target';

/**
 * Remove leftovers of earlier runs: pods labelled oomlab (pod-sweep.ts), oomlab-*
 * cgroups (cgroup-sweep.ts) and containers labelled oomlab (docker-sweep.ts;
 * nothing when the host has no Docker or cluster). All run even if one fails;
 * then the failures are thrown together.
 */
export async function sweepLeftovers(transport: Transport, facts: HostFacts, opts: SweepOptions = {}): Promise<string[]> {
  const removed: string[] = [];
  const errors: Error[] = [];
  // Pods first: deleting them through the API lets the kubelet remove their containers.
  for (const sweep of [sweepPodLeftovers, sweepCgroupLeftovers, sweepDockerLeftovers]) {
    try {
      removed.push(...(await sweep(transport, facts, opts)));
    } catch (e) {
      errors.push(e as Error);
    }
  }
  // A refused sudo is the one thing to tell the user: it refused every sweep alike.
  const refused = errors.find((e) => e instanceof SudoRefusedError);
  if (refused) throw refused;
  if (errors.length) throw new TargetError(`${errors.map((e) => e.message).join('; ')}${removed.length ? ` (removed: ${removed.join(', ')})` : ''}`);
  return removed;
}
