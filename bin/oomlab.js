#!/usr/bin/env node
// Entry for `npx oomlab`: runs the TypeScript CLI through tsx so no build step
// is needed after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../electron/cli.ts');
process.exitCode = await main(process.argv.slice(2));
