// `npx tsx bench/cli-startup.ts`: how long the built CLI (dist/cli, what the
// npm package installs) takes to answer `oomlab --help` and `--version`,
// against a bare `node -e 0`. Aim: within 3x. Builds the CLI first. Prints
// human figures, then one JSON line. A benchmark, not a test.

import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync('npm', ['run', '--silent', 'build:cli'], { cwd: root, stdio: 'inherit' });

const RUNS = 15;
const entry = `import(${JSON.stringify(`${root}dist/cli/oomlab.mjs`)}).then(async (m) => { process.exitCode = await m.main(process.argv.slice(1)); })`;

function median(argv: string[]): number {
  const times: number[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(process.execPath, argv, { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}`);
    if (i > 0) times.push(Number(process.hrtime.bigint() - t0) / 1e6); // the first run warms the disk cache
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

const bare = median(['-e', '0']);
const help = median(['--input-type=module', '-e', entry, '--', '--help']);
const version = median(['--input-type=module', '-e', entry, '--', '--version']);
console.log(`node -e 0          ${bare.toFixed(1)} ms (median of ${RUNS})`);
console.log(`oomlab --help      ${help.toFixed(1)} ms  = ${(help / bare).toFixed(2)} x node -e 0 (aim: <= 3)`);
console.log(`oomlab --version   ${version.toFixed(1)} ms  = ${(version / bare).toFixed(2)} x`);
console.log(JSON.stringify({ bench: 'cli-startup', bareMs: bare, helpMs: help, versionMs: version, helpRatio: help / bare }));
