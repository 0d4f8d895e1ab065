// `oomlab replay FILE | head`: the reader leaves early; oomlab ends quietly
// (exit 0, nothing on stderr) instead of an EPIPE stack trace.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireOrSkip } from '../../helpers/sshd';
import { BIN, ROOT } from './oomlab-child';

describe('a closed pipe', () => {
  it('ends oomlab quietly when its reader goes away', () => {
    // bash: PIPESTATUS gives oomlab's own exit status, not head's.
    const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" replay scenarios/recordings/growing-allocator.ndjson | head -n 1 >/dev/null; echo "status=\${PIPESTATUS[0]}"`], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('status=0');
  });
});

const pre = requireOrSkip(['root', 'cgroup-v1-memory', 'stress']);

describe.skipIf(pre.skip)('a closed pipe during a run', () => {
  it('cleans the run up before ending (a reader that leaves once the cgroup exists)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oomlab-pipe-'));
    try {
      const rec = join(dir, 'r.ndjson');
      const r = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" run two-workers-123mi --host local --no-sweep --record "${rec}" | sed -n '/created cgroup/q'; echo "status=\${PIPESTATUS[0]}"`], {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
      });
      const header = JSON.parse(readFileSync(rec, 'utf8').split('\n')[0]!) as { runId: string };
      // Ended as on SIGTERM (cleanup first), and the run's cgroup is gone.
      expect(r.stdout.trim()).toMatch(/^status=(0|143)$/);
      expect(existsSync(`/sys/fs/cgroup/memory/oomlab/oomlab-${header.runId}`)).toBe(false);
      expect(r.stderr).not.toMatch(/^\s+at /m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
