#!/usr/bin/env node
// `oomlab`. Installed from the package: the built CLI (dist/cli/oomlab.mjs,
// plain JavaScript). In a checkout: the TypeScript sources through tsx, so no
// build step is needed after `npm ci`.
import { existsSync } from 'node:fs';

// A reader that goes away (`oomlab replay f | head`) ends us quietly, as it ends git or ls; a run
// in progress first cleans up, as on SIGTERM (its handler is the one listening), and nothing more is written.
process.stdout.on('error', (e) => {
  if (e.code !== 'EPIPE') throw e;
  process.stdout.write = () => true;
  if (process.listenerCount('SIGTERM') > 0) process.emit('SIGTERM', 'SIGTERM');
  else process.exit(0);
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
