// Where the package's own files live (scenarios/, package.json): the checkout
// when run from sources, the installed package when run from the built CLI
// (dist/cli/oomlab.mjs). Found by walking up to our package.json, so it holds
// however deep the importing file ends up after bundling.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: { root: string; version: string } | null = null;

function find(): { root: string; version: string } {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'oomlab') return (cached = { root: dir, version: pkg.version ?? '0.0.0' });
    }
    const up = dirname(dir);
    if (up === dir) throw new Error(`cannot find the oomlab package.json above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** Absolute directory holding package.json, scenarios/ ... */
export function packageRoot(): string {
  return find().root;
}

export function packageVersion(): string {
  return find().version;
}
