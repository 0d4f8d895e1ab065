#!/usr/bin/env node
// `npm start`: check that Electron can start BEFORE building, then build the
// renderer and main bundles and start the app. Each failure is a few plain
// lines with the way forward, never a stack trace.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { downloadReason, missingBinaryMessage, sandboxPlan } from './desktop-plan.mjs';

const require = createRequire(import.meta.url);
const { version } = require('electron/package.json');

function electronBinary() {
  const dir = dirname(require.resolve('electron/package.json'));
  const known = existsSync(join(dir, 'path.txt')) && existsSync(join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8')));
  if (!known && !process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    // Electron fetches its binary on first use; do it here, quietly, so a failure is ours to explain.
    process.stderr.write(`oomlab: fetching Electron ${version}'s binary (first start)...\n`);
    const r = spawnSync(process.execPath, [join(dir, 'install.js')], { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) return { error: downloadReason(`${r.stderr}\n${r.stdout}`) };
  }
  try {
    return { path: require('electron') };
  } catch (e) {
    return { error: String(e?.message ?? e).split('\n')[0] };
  }
}

const bin = electronBinary();
if (!bin.path) {
  process.stderr.write(`${missingBinaryMessage(version, bin.error)}\n`);
  process.exit(6);
}

const build = spawnSync('npm', ['run', '--silent', 'build:desktop'], { stdio: 'inherit' });
if (build.status !== 0) {
  process.stderr.write('oomlab: building the desktop app failed (see above)\n');
  process.exit(build.status ?? 1);
}

const plan = sandboxPlan({ uid: process.getuid?.() ?? null, argv: process.argv.slice(2) });
for (const note of plan.notes) process.stderr.write(`${note}\n`);
const r = spawnSync(bin.path, ['.', ...plan.args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
