// The wrapper must never start a workload it could not prove is inside its
// cgroup. Run it for real against a directory that only looks like a cgroup:
// writing cgroup.procs "works" (it is a plain file) but /proc/self/cgroup does
// not change, so the wrapper must refuse and the workload must not run.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { WRAPPER_REFUSED, wrapperScript } from '../../../electron/lab/workloads/wrapper';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('wrapper', () => {
  it('refuses to start when /proc/self/cgroup does not show the target', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oomlab-wrapper-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'cgroup.procs'), '');
    const proof = join(dir, 'workload-ran');
    const t = new LocalTransport();
    const lines: string[] = [];
    const p = t.stream(wrapperScript({ nonce: 'abcdef0123456789', kind: 'cgroup-v1', dir, hierarchyPath: '/oomlab/oomlab-unit/wl-x', timeCapSec: 5, oomScoreAdj: null, argv: ['touch', proof], cleanupFile: null }), { onLine: (l) => lines.push(l) });
    const exit = await p.exit;
    await t.close();
    expect(exit.code).toBe(WRAPPER_REFUSED);
    expect(existsSync(proof)).toBe(false);
    expect(lines.some((l) => l.startsWith('@oomlab:abcdef0123456789 fail not in /oomlab/oomlab-unit/wl-x'))).toBe(true);
    // It did write its pid first (the join is attempted before anything else).
    expect(readFileSync(join(dir, 'cgroup.procs'), 'utf8')).toMatch(/^\d+\n$/);
  });

  it('quotes every argument of the workload', () => {
    const s = wrapperScript({ nonce: 'abcdef0123456789', kind: 'cgroup-v2', dir: '/sys/fs/cgroup/oomlab/oomlab-a/wl-b', hierarchyPath: '/oomlab/oomlab-a/wl-b', timeCapSec: 5, oomScoreAdj: 100, argv: ['sh', '-c', 'echo $HOME; rm -rf /'], cleanupFile: null });
    expect(s).toContain(`sh -c 'echo $HOME; rm -rf /'`);
    expect(s).toContain('ADJ=100');
  });

  it('rejects a nonce that is not hex', () => {
    expect(() => wrapperScript({ nonce: 'x; reboot', kind: 'cgroup-v1', dir: '/d', hierarchyPath: '/h', timeCapSec: 1, oomScoreAdj: null, argv: ['true'], cleanupFile: null })).toThrow(/nonce/);
  });
});
