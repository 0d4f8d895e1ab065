// Limits that could hurt the host (limit-check.ts): 0, none for a scenario
// that expects a kill, and at or above what the host can give.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../electron/lab/scenario/load';
import { expectsKill, unsafeLimit, UnsafeLimitError } from '../../../electron/lab/scenario/limit-check';
import { isLabError } from '../../../electron/lab/errors';

const GiB = 1024 ** 3;
// This machine's probe, rounded: 23 GiB total, 20 GiB available.
const facts = { host: 'root@lab:22', memTotalBytes: 23 * GiB, memAvailableBytes: 20 * GiB };

function scenario(limit: string, steps = `  - title: kill
    actions:
      - start: { workload: hog, stress: { vmBytes: 32M } }
      - wait: { oomKill: hog, timeout: 20s }
`) {
  return parseScenario(`id: t\ntitle: T\nlimit: ${limit}\nsteps:\n${steps}`, 'x.yaml');
}

const noKill = `  - title: cache only
    actions:
      - start: { workload: w, cache-writer: { mbPerSec: 10, totalMb: 8 } }
      - wait: { exited: w, timeout: 20s }
    expect:
      - oomKills: 0
      - notOomKilled: w
`;

describe('unsafeLimit', () => {
  it('accepts a limit below what the host has available', () => {
    expect(unsafeLimit(scenario('16Mi'), facts)).toBeNull();
    expect(unsafeLimit(scenario(String(20 * GiB - 1)), facts)).toBeNull();
  });

  it('refuses a limit at or above MemAvailable, in one line with the numbers and the override flag', () => {
    for (const limit of ['20G', '200G']) {
      const e = unsafeLimit(scenario(limit), facts);
      expect(e).toBeInstanceOf(UnsafeLimitError);
      expect(isLabError(e) && e.kind).toBe('input');
      expect(e!.message).not.toContain('\n');
      expect(e!.message).toContain(`limit ${limit === '20G' ? '20.00 GiB (21474836480 B)' : '200.00 GiB (214748364800 B)'} is at or above what the host can give`);
      expect(e!.message).toContain('on root@lab:22 (MemTotal 23.00 GiB = 24696061952 B, MemAvailable 20.00 GiB = 21474836480 B)');
      expect(e!.message).toContain('--allow-large-limit');
      expect(e!.message.startsWith('x.yaml: ')).toBe(true);
    }
  });

  it('refuses limit 0', () => {
    expect(unsafeLimit(scenario('0'), facts)?.message).toMatch(/^x\.yaml: limit 0 leaves nothing to run in: .* on root@lab:22 \(MemTotal .*--allow-large-limit if you know why$/);
  });

  it('refuses limit max only for a scenario that expects a kill', () => {
    expect(unsafeLimit(scenario('max'), facts)?.message).toContain("limit max: the kill this scenario expects would be the host's own OOM killer");
    expect(unsafeLimit(scenario('max', noKill), facts)).toBeNull();
  });
});

describe('expectsKill', () => {
  it('sees a kill in waits, trace and kill expectations, and not in oomKills: 0', () => {
    expect(expectsKill(scenario('16Mi').scenario)).toBe(true);
    expect(expectsKill(scenario('16Mi', noKill).scenario)).toBe(false);
    const expecting = (x: string) => scenario('16Mi', `${noKill.replace('      - oomKills: 0\n', '')}      - ${x}\n`).scenario;
    expect(expectsKill(expecting('oomKills: { atLeast: 1 }'))).toBe(true);
    expect(expectsKill(expecting('oomKills: { atMost: 3 }'))).toBe(false);
    expect(expectsKill(expecting('oomKilled: w'))).toBe(true);
    expect(expectsKill(expecting('afterKill: { usage: { below: 5% } }'))).toBe(true);
  });
});
