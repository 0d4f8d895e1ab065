// Re-records the shipped recordings (scenarios/recordings/<id>.ndjson) with
// real runs, exactly as a user would make one:
//   oomlab run <id> --host local --record <file> --no-sweep
// Every plain-cgroup scenario is run by default; docker-* scenarios when named
// (they need the host's dockerd; pod-* ones need an API server and are not
// recorded here). One whose `requires` this host cannot meet is skipped with the
// reason, and its old recording is kept. A recording is only replaced when the
// run passed and the new file reads back with every expectation passed, so a
// failed run never ships.
//
//   npx tsx scenarios/record.ts                 every plain-cgroup scenario, on this machine
//   npx tsx scenarios/record.ts growing-allocator pid1-survives
//   npx tsx scenarios/record.ts docker-growing-allocator   (on the host's real dockerd)
//   npx tsx scenarios/record.ts --host root@vm:22 --identity KEY --known-hosts KH   (any `oomlab run` host flags)

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledScenarios } from '../electron/lab/session/scenario-library';
import { readRecording } from '../electron/lab/recording/read';
import { exitCodes } from '../electron/cli/exit';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const OUT_DIR = join(ROOT, 'scenarios/recordings');
const BIN = join(ROOT, 'bin/oomlab.js');

/** The scenarios this library records: plain cgroup targets. */
export function isPlainCgroup(s: { id: string; target: { kind: string } }): boolean {
  return s.target.kind === 'cgroup' && !s.id.startsWith('docker-') && !s.id.startsWith('pod-');
}

/** Recorded when named: container scenarios, run on the host's own dockerd. */
export function isDocker(s: { target: { kind: string } }): boolean {
  return s.target.kind === 'docker';
}

function runCli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
      process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function main(argv: string[]): Promise<number> {
  const hostFlags: string[] = [];
  const ids: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      hostFlags.push(a);
      if (!a.includes('=') && argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--') && a !== '--accept-new-host-key') hostFlags.push(argv[++i]!);
    } else ids.push(a);
  }
  if (!hostFlags.includes('--host')) hostFlags.push('--host', 'local');

  const all = (await bundledScenarios()).filter((l) => isPlainCgroup(l.scenario) || (ids.includes(l.scenario.id) && isDocker(l.scenario)));
  const unknown = ids.filter((id) => !all.some((l) => l.scenario.id === id));
  if (unknown.length) {
    process.stderr.write(`record: no plain-cgroup or docker scenario with id ${unknown.join(', ')} (have: ${all.map((l) => l.scenario.id).join(', ')})\n`);
    return 2;
  }
  const chosen = ids.length ? all.filter((l) => ids.includes(l.scenario.id)) : all;
  mkdirSync(OUT_DIR, { recursive: true });

  const summary: string[] = [];
  let failed = 0;
  for (const { scenario: s } of chosen) {
    const file = join(OUT_DIR, `${s.id}.ndjson`);
    const tmp = `${file}.new`;
    process.stdout.write(`\n=== ${s.id}\n`);
    const t0 = Date.now();
    const r = await runCli(['run', s.id, ...hostFlags, '--record', tmp, '--no-sweep']);
    const wall = ((Date.now() - t0) / 1000).toFixed(1);
    if (r.code === exitCodes.host && !existsSync(tmp)) {
      // refused before it began: the host does not offer what the scenario requires
      rmSync(tmp, { force: true });
      summary.push(`${s.id}: skipped (${r.stderr.trim().split('\n').pop()}); kept the old recording if any`);
      continue;
    }
    const problem = r.code !== 0 ? `oomlab run exited ${r.code}` : await check(tmp, s.id);
    if (problem) {
      rmSync(tmp, { force: true });
      failed++;
      summary.push(`${s.id}: NOT recorded: ${problem}`);
      continue;
    }
    renameSync(tmp, file);
    const { events } = await readRecording(file);
    const end = events[events.length - 1]!;
    summary.push(`${s.id}: recorded, run ${(end.t / 1000).toFixed(1)} s (${wall} s with connect and probe)`);
  }
  process.stdout.write(`\n${summary.join('\n')}\n`);
  return failed ? 1 : 0;
}

/** Why a fresh recording must not ship, or null. */
async function check(file: string, id: string): Promise<string | null> {
  try {
    const { header, events, warnings } = await readRecording(file);
    if (warnings.length) return warnings.join('; ');
    if (header.scenario.id !== id) return `recorded scenario ${header.scenario.id}`;
    const end = events[events.length - 1];
    if (end?.kind !== 'run-end' || end.outcome !== 'passed') return `the run ended ${end?.kind === 'run-end' ? end.outcome : 'without run-end'}`;
    const failedVerdicts = events.filter((e) => e.kind === 'expectation' && !e.passed);
    if (failedVerdicts.length) return `${failedVerdicts.length} expectation(s) failed`;
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = await main(process.argv.slice(2));
}
