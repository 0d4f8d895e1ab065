#!/usr/bin/env node
// `oomlab`. Installed from the package: the built CLI (dist/cli/oomlab.mjs,
// plain JavaScript). In a checkout: the TypeScript sources through tsx, so no
// build step is needed after `npm ci`.
import { existsSync } from 'node:fs';

// A reader that goes away (`oomlab replay f | head`) ends us quietly, as it ends git or ls.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

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
