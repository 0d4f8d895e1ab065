// OpenSSH's wildcard patterns (* any run, ? one character), matched without
// a regular expression: a regex built from `****x` backtracks exponentially
// (2.9 s for a 20-character name), and a known_hosts file may come from
// anyone. Two pointers and one resume point: each step moves the name pointer
// forward or resumes after the last star, so the cost is at most
// |name| x |pattern| steps, and |name| + |pattern| for a run of stars.

/** Counts comparison steps (for tests and the bench). */
export interface GlobSteps {
  steps: number;
}

/** Case-sensitive match of the whole `name` against `pattern`. */
export function globMatch(name: string, pattern: string, count?: GlobSteps): boolean {
  let n = 0;
  let p = 0;
  // Where the last star was, and the name position it currently swallows up to.
  let star = -1;
  let resume = 0;
  let steps = 0;
  while (n < name.length) {
    steps++;
    const c = pattern[p];
    if (c === '*') {
      // A run of stars is one star.
      while (pattern[p] === '*') p++;
      if (p === pattern.length) break;
      star = p;
      resume = n;
    } else if (c !== undefined && (c === '?' || c === name[n])) {
      p++;
      n++;
    } else if (star >= 0) {
      // Let the last star swallow one more character and retry after it.
      p = star;
      n = ++resume;
    } else {
      if (count) count.steps += steps;
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  if (count) count.steps += steps;
  return p === pattern.length;
}
