// createUnderLease over a real sh and flock: the lease is held while the
// target is created, and let go when creating it fails.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostFacts } from '../../../electron/lab/host/facts';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createUnderLease, leaseFile } from '../../../electron/lab/targets/lease';

const isRoot = process.getuid?.() === 0;
const hasFlock = spawnSync('sh', ['-c', 'command -v flock']).status === 0;
if ((!isRoot || !hasFlock) && process.env.CI === 'true') throw new Error('prerequisite missing: root and flock (the lease lives in /run/oomlab)');

/** True when a sweep could take the lock, i.e. no live run holds it. */
const free = (file: string) => spawnSync('flock', ['-n', '-x', file, 'true']).status === 0;

async function until(what: string, cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 4_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe.skipIf(!isRoot || !hasFlock)('createUnderLease', () => {
  const file = leaseFile(`oomlab-unit-lease-${randomBytes(3).toString('hex')}`);
  const facts = { root: true } as unknown as HostFacts;
  let transport: LocalTransport;
  afterEach(async () => {
    await transport?.close();
    rmSync(file, { force: true });
  });

  it('holds the lease while creating and after, until released', async () => {
    transport = new LocalTransport();
    const warnings: string[] = [];
    let heldDuringCreate = false;
    const lease = await createUnderLease(transport, facts, file, warnings, async () => {
      heldDuringCreate = !free(file);
    });
    expect(heldDuringCreate).toBe(true);
    expect(warnings).toEqual([]);
    expect(free(file)).toBe(false);
    lease.release();
    await until('the lease to be let go', () => free(file));
  });

  it('lets go of the lease when creating fails, and passes the failure on', async () => {
    transport = new LocalTransport();
    await expect(
      createUnderLease(transport, facts, file, [], async () => {
        throw new Error('docker run refused');
      }),
    ).rejects.toThrow('docker run refused');
    await until('the lease to be let go', () => free(file));
  });
});
