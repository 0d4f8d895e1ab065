// The real `oomlab kmsg` binary (bin/oomlab.js through tsx, as `npx oomlab`)
// on every fixture: the kills it prints are the ones read off the logs by hand.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FIXTURES, FIXTURE_DIR } from '../../unit/kernel/fixtures';

const BIN = fileURLToPath(new URL('../../../bin/oomlab.js', import.meta.url));

function oomlab(args: string[], stdin?: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

describe('oomlab kmsg', () => {
  it('finds every kill with the right pid, comm and memcg in every fixture (--json)', { timeout: 300_000 }, async () => {
    const queue = [...FIXTURES];
    const failures: string[] = [];
    // A few at a time: each run starts a node process.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let fx = queue.shift(); fx; fx = queue.shift()) {
          const r = await oomlab(['kmsg', '--json', FIXTURE_DIR + fx.file]);
          if (r.code !== 0) {
            failures.push(`${fx.file}: exit ${r.code}: ${r.stderr}`);
            continue;
          }
          const rows = (JSON.parse(r.stdout) as Array<Record<string, unknown>>).filter((x) => x.kind === 'kill');
          const got = JSON.stringify(rows.map((x) => [x.pid, x.comm, x.memcg]));
          const want = JSON.stringify(fx.kills.map((k) => [k.pid, k.comm, k.memcg]));
          if (got !== want) failures.push(`${fx.file}: got ${got}, want ${want}`);
        }
      }),
    );
    expect(failures).toEqual([]);
  });

  it('reads standard input with "-" and prints one readable block per kill', async () => {
    const r = await oomlab(['kmsg', '-'], readFileSync(FIXTURE_DIR + 'pub-cadvisor-4.8-docker-two-kills.log', 'utf8'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('OOM kill 1/2');
    expect(r.stdout).toContain('pid 1381 (gunpowder-memho)');
    expect(r.stdout).toContain('OOM kill 2/2');
    expect(r.stdout).toContain('/docker/6c6fcab8562fd3150854986b78552c732f234fd405b624207b8843528a145e70 (memory cgroup)');
    expect(r.stdout.trim().endsWith('2 OOM kills.')).toBe(true);
  });

  it('says so when a log has no kill', async () => {
    const r = await oomlab(['kmsg', FIXTURE_DIR + 'pub-photon-1535-vmware-guest-prefix.log']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('No OOM kills found in');
  });

  it('names the file it cannot read', async () => {
    const missing = await oomlab(['kmsg', '/nonexistent/oomlab-kmsg.log']);
    expect(missing.code).toBe(7);
    expect(missing.stderr).toContain('cannot read /nonexistent/oomlab-kmsg.log: no such file');
    const dir = await oomlab(['kmsg', FIXTURE_DIR]);
    expect(dir.code).toBe(7);
    expect(dir.stderr).toContain(`cannot read ${FIXTURE_DIR}: it is a directory`);
  });
});
