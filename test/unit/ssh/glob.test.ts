// The known_hosts wildcard matcher (ssh/glob.ts): OpenSSH's * and ? semantics,
// and a cost that stays linear for the star runs that made the old regex
// backtrack for seconds (`************x` against 20 characters: 2.9 s).
import { describe, it, expect } from 'vitest';
import { globMatch, type GlobSteps } from '../../../electron/lab/ssh/glob';
import { matchPattern } from '../../../electron/lab/ssh/knownhosts';

describe('globMatch', () => {
  it.each([
    ['web1.lab', '*.lab', true],
    ['web1.lab', 'web?.lab', true],
    ['web12.lab', 'web?.lab', false],
    ['lab', '*', true],
    ['', '*', true],
    ['', '', true],
    ['', '?', false],
    ['abc', 'a*c', true],
    ['abc', 'a*b', false],
    ['aXbXc', '*b*c', true],
    ['mississippi', 'm*iss*ppi', true],
    ['mississippi', 'm*iss*ppx', false],
    ['[10.1.2.3]:2222', '[10.1.2.3]:*', true],
    ['a.b', 'a?b', true],
    ['ab', 'ab*', true],
    ['ab', 'ab**?', false],
  ])('%s against %s is %s', (name, pattern, want) => {
    expect(globMatch(name, pattern)).toBe(want);
  });

  it('is case-insensitive through matchPattern, as OpenSSH is for host names', () => {
    expect(matchPattern('Web1.LAB', '*.lab')).toBe(true);
  });

  it('takes steps linear in the name for a long run of stars (the old regex never finished)', () => {
    const name = 'a'.repeat(4000);
    const count: GlobSteps = { steps: 0 };
    expect(globMatch(name, `${'*'.repeat(4000)}x`, count)).toBe(false);
    expect(count.steps).toBeLessThanOrEqual(2 * name.length + 2);
    const count2: GlobSteps = { steps: 0 };
    expect(matchPattern(name, `${'*?'.repeat(2000)}x`)).toBe(false);
    expect(globMatch(name, `${'*a'.repeat(1000)}*`, count2)).toBe(true);
    expect(count2.steps).toBeLessThanOrEqual(2 * name.length + 2);
  });
});
