// Running a driver's own scripts as root (sudo -n when not root; sudo's own
// refusal is a SudoRefusedError), with any other failure as one TargetError that names the host, what was being done, and
// what the host said.

import type { HostFacts } from '../host/facts';
import { execAsRoot } from '../ssh/sudo';
import type { Transport } from '../ssh/transport';
import { TargetError } from './target';

/** stdout of `script` run as root; a non-zero exit throws `<host>: <what>: <stderr or exit>`. */
export async function runAsRoot(transport: Transport, facts: HostFacts, what: string, script: string, timeoutMs = 30_000): Promise<string> {
  const r = await execAsRoot(transport, script, facts.root, { timeoutMs });
  if (r.code !== 0) {
    const detail = r.stderr.trim() || r.error || (r.signal ? `killed by ${r.signal}` : `exit ${r.code}`);
    throw new TargetError(`${transport.label}: ${what}: ${detail}`);
  }
  return r.stdout;
}

/**
 * A sweep script: every line `removed <what>` names something it removed, and
 * every `left <what>` something it left alone (told to `onLeftAlone`). A
 * non-zero exit throws, listing what was removed before the failure.
 */
export async function runSweep(transport: Transport, facts: HostFacts, what: string, script: string, onLeftAlone?: (what: string) => void): Promise<string[]> {
  const r = await execAsRoot(transport, script, facts.root, { timeoutMs: 120_000 });
  for (const l of r.stdout.split('\n')) if (l.startsWith('left ')) onLeftAlone?.(l.slice('left '.length));
  const removed = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('removed '))
    .map((l) => l.slice('removed '.length));
  if (r.code !== 0) throw new TargetError(`${transport.label}: ${what} incomplete: ${r.stderr.trim() || `exit ${r.code}`} (removed: ${removed.join(', ') || 'nothing'})`);
  return removed;
}
