// `npm run bench`: the known_hosts wildcard matcher on hostile patterns (a run
// of stars that never matches), which the regex it replaced took seconds on.
// Prints the time per name length, then one JSON line. A benchmark, not a test.

import { globMatch, type GlobSteps } from '../electron/lab/ssh/glob';

const pattern = `${'*'.repeat(1000)}x`;
const rows = [20, 30, 1000, 100_000].map((n) => {
  const name = 'a'.repeat(n);
  const count: GlobSteps = { steps: 0 };
  const t0 = performance.now();
  globMatch(name, pattern, count);
  return { nameLength: n, ms: Number((performance.now() - t0).toFixed(3)), steps: count.steps };
});
for (const r of rows) console.log(`known_hosts glob: ${pattern.length}-char star pattern vs ${r.nameLength}-char name: ${r.ms} ms, ${r.steps} steps`);
console.log(JSON.stringify({ bench: 'known-hosts-glob', patternLength: pattern.length, rows }));
