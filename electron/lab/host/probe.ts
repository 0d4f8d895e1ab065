// Probe a host in one round trip: run the literal script over the transport
// (SSH or local, same code path) and parse what it prints.
import type { Transport } from '../ssh/transport';
import type { HostFacts } from './facts';
import { parseProbeOutput } from './parse';
import { PROBE_SCRIPT } from './script';
import { LabError } from '../errors';

export class ProbeError extends LabError {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super('host', message);
    this.name = 'ProbeError';
  }
}

export async function probeHost(transport: Transport, opts: { timeoutMs?: number } = {}): Promise<HostFacts> {
  const r = await transport.exec(PROBE_SCRIPT, { timeoutMs: opts.timeoutMs ?? 60_000 });
  if (r.code !== 0) {
    const why = r.stderr.trim().split('\n').slice(-3).join(' / ') || (r.signal ? `killed by ${r.signal}` : `exit ${r.code}`);
    throw new ProbeError(transport.label, `${transport.label}: the probe script failed: ${why}`);
  }
  return parseProbeOutput(r.stdout, transport.label);
}
