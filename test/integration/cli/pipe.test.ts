// `oomlab replay FILE | head`: the reader leaves early; oomlab ends quietly
// (exit 0, nothing on stderr) instead of an EPIPE stack trace.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
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
