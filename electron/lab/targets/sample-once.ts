// One-shot reads of a target's counters and member processes: the sampler's
// own loop run for one tick (so a read and a sampled tick can never disagree),
// shared by every driver's readSample() and listProcesses().

import type { MemorySample, ProcessRow } from '../events';
import type { HostFacts } from '../host/facts';
import type { Transport } from '../ssh/transport';
import { parseSamplerOutput } from '../sampler/parse';
import { samplerCommand } from '../sampler/script';
import type { SampledCgroup } from '../sampler/source';
import { TargetError } from './target';

async function sampleOnce(transport: Transport, facts: HostFacts, cgroup: SampledCgroup): Promise<ReturnType<typeof parseSamplerOutput>> {
  const cmd = samplerCommand({ kind: cgroup.cgroupKind, path: cgroup.path, intervalMs: 50, processEvery: 1, pageSize: facts.pageSize, once: true });
  const r = await transport.exec(cmd, { timeoutMs: 15_000 });
  if (r.code !== 0) throw new TargetError(`${transport.label}: cannot read ${cgroup.path}: ${r.stderr.trim() || `exit ${r.code}`}`);
  return parseSamplerOutput(r.stdout, cgroup.cgroupKind, cgroup.id);
}

export async function readSampleOnce(transport: Transport, facts: HostFacts, cgroup: SampledCgroup): Promise<MemorySample> {
  const out = await sampleOnce(transport, facts, cgroup);
  const s = out.samples[0];
  if (!s) throw new TargetError(`${transport.label}: no counters read from ${cgroup.path}${out.errors.length ? `: ${out.errors.join('; ')}` : ''}`);
  return s.sample;
}

export async function listProcessesOnce(transport: Transport, facts: HostFacts, cgroup: SampledCgroup): Promise<ProcessRow[]> {
  const out = await sampleOnce(transport, facts, cgroup);
  return out.processes[0]?.processes ?? [];
}
