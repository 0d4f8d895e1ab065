// A run's lease on the host: one small remote process holds a shared flock on a
// file under /run/oomlab for as long as the run's channel lives. Sweeps take
// the lock exclusively with -n, so they skip what a live run (here or from
// another app) still uses, and a crashed run's lease dies with its channel.

import type { HostFacts } from '../host/facts';
import { asRoot, Script, sh } from '../ssh/quote';
import type { RemoteProcess, Transport } from '../ssh/transport';
import { RECORD_DIR } from './names';
import { TargetError } from './target';

/** The lock file of a container or pod target (cgroup targets lock their owner record). */
export function leaseFile(name: string): string {
  return `${RECORD_DIR}/${name}.lock`;
}

export interface Lease {
  release(): void;
  /** Set when the host has no flock: a sweep from another session could remove this target. */
  warning: string | null;
}

/**
 * Take a shared flock on `file` and hold it until release() or the channel
 * ends. With `record`, the file is the target's owner record: written only if
 * no such file exists (noclobber), else refused; without, created if missing.
 */
export function holdLease(transport: Transport, facts: HostFacts, file: string, record?: string): Promise<Lease> {
  const make = record === undefined ? sh`: >> ${file}` : sh`( set -C; printf '%s\n' ${record} > ${file} ) 2>/dev/null || { echo "the owner record exists already (another run with this name); left alone" >&2; exit 1; }`;
  const script = sh`mkdir -p ${RECORD_DIR} && ${new Script(make)} && exec 9< ${file} || exit 1
if command -v flock >/dev/null 2>&1; then flock -s 9 || exit 1; echo @lease; else echo @nolease; fi
while read -r _; do :; done`;
  return new Promise<Lease>((resolve, reject) => {
    let settled = false;
    let proc: RemoteProcess | null = null;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      proc?.close();
      reject(new TargetError(`${transport.label}: cannot take the lease on ${file}: ${why}`));
    };
    proc = transport.stream(asRoot(script, facts.root), {
      onLine: (line, fd) => {
        if (settled) return;
        if (fd === 'stdout' && (line === '@lease' || line === '@nolease')) {
          settled = true;
          const p = proc!;
          resolve({
            release: () => p.close(),
            warning: line === '@nolease' ? `${transport.label}: flock is missing, so a sweep from another session could remove this run's target` : null,
          });
        } else if (fd === 'stderr') fail(line);
      },
    });
    void proc.exit.then((info) => fail(info.error ?? `exit ${info.code ?? info.signal}`));
  });
}

/**
 * Create a target under its lease: take the lease on `file` first (a sweep from
 * another session then skips the target), run `create`, and let go again if it
 * fails. A warning (no flock on the host) goes to `warnings`. The returned
 * lease is held until the target is destroyed.
 */
export async function createUnderLease(transport: Transport, facts: HostFacts, file: string, warnings: string[], create: () => Promise<void>, record?: string): Promise<Lease> {
  const lease = await holdLease(transport, facts, file, record);
  if (lease.warning) warnings.push(lease.warning);
  try {
    await create();
  } catch (e) {
    lease.release();
    throw e;
  }
  return lease;
}

/**
 * Shell fragment for sweeps: true (exit 0) when the lease file "$1" is held by
 * a live run. Without flock nothing can be told apart, so nothing counts as held.
 */
export const LEASE_HELD_FN = `oomlab_held() { [ -f "$1" ] && command -v flock >/dev/null 2>&1 && ! flock -n -x "$1" true 2>/dev/null; }
`;

/**
 * Shell fragment: oomlab_owned RECORD NAME is true when RECORD is the lab's
 * owner record of NAME (a root-owned file, not a symlink, with our marker).
 * Only root writes /run/oomlab, so nobody else can forge one.
 */
export const OWNED_FN = new Script(`oomlab_owned() {
  [ -f "$1" ] && [ ! -L "$1" ] && [ -O "$1" ] && grep -qF '{"marker":"oomlab",' "$1" && grep -qF "\\"name\\":\\"$2\\"," "$1"
}
`);

/** Which of these target names a live run still holds (one round trip). */
export async function heldLeases(transport: Transport, facts: HostFacts, names: readonly string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const files = names.map(leaseFile);
  const r = await transport.exec(asRoot(sh`${new Script(LEASE_HELD_FN)}for f in ${files}; do oomlab_held "$f" && echo "$f"; done; true`, facts.root), { timeoutMs: 30_000 });
  const held = new Set(r.stdout.split('\n').filter(Boolean));
  return new Set(names.filter((n) => held.has(leaseFile(n))));
}
