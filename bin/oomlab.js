#!/usr/bin/env node
// `oomlab`. Installed from the package: the built CLI (dist/cli/oomlab.mjs,
// plain JavaScript). In a checkout: the TypeScript sources through tsx, so no
// build step is needed after `npm ci`.
import { existsSync } from 'node:fs';

const sources = new URL('../electron/cli.ts', import.meta.url);
let main;
if (existsSync(sources)) {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import('../dist/cli/oomlab.mjs'));
}
process.exitCode = await main(process.argv.slice(2));
