// Runs `oomlab` as a child process (bin/oomlab.js, exactly what `npx oomlab`
// runs) and checks what a run left on the host.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import type { RecordingHeader } from '../../../electron/lab/recording/format';

export const BIN = fileURLToPath(new URL('../../../bin/oomlab.js', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliChild {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  done: Promise<CliResult>;
  /** Resolves with the first NDJSON event (--json) that matches. */
  waitForEvent(pred: (e: LabEvent) => boolean, timeoutMs: number): Promise<LabEvent>;
}

export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): CliChild {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  child.stdout!.on('data', (b: Buffer) => {
    out += b.toString('utf8');
    for (const l of [...listeners]) l();
  });
  child.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout: out, stderr: err })));
  const events = () =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as LabEvent;
        } catch {
          return null;
        }
      })
      .filter((e): e is LabEvent => e !== null);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    done,
    waitForEvent: (pred, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const hit = events().find(pred);
          if (hit) {
            cleanup();
            resolve(hit);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no matching event within ${timeoutMs} ms; stdout so far:\n${out.slice(-2000)}\nstderr:\n${err.slice(-2000)}`));
        }, timeoutMs);
        const onClose = () => {
          check();
          cleanup();
          reject(new Error(`oomlab exited before the event; stdout:\n${out.slice(-2000)}\nstderr:\n${err.slice(-2000)}`));
        };
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('close', onClose);
        };
        listeners.add(check);
        child.on('close', onClose);
        check();
      }),
  };
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return spawnCli(args, env).done;
}

export function parseNdjson(text: string): LabEvent[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LabEvent);
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // a zombie is gone for our purposes
  try {
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** Every pid the events say belonged to a workload (started ones, OOM victims, members sampled). */
export function workloadPids(events: readonly LabEvent[]): number[] {
  const pids = new Set<number>();
  for (const e of events) {
    if (e.kind === 'workload-start') pids.add(e.pid);
    if (e.kind === 'oom-kill') pids.add(e.report.pid);
    if (e.kind === 'processes') for (const p of e.processes) pids.add(p.pid);
  }
  return [...pids];
}

/** What of a run remains on this host: its cgroup, and live workload processes. */
export function leftovers(events: readonly LabEvent[]): string[] {
  const left: string[] = [];
  const start = events.find((e) => e.kind === 'run-start');
  if (start?.kind === 'run-start' && start.target.path && existsSync(start.target.path)) left.push(start.target.path);
  for (const pid of workloadPids(events)) if (pidAlive(pid)) left.push(`pid ${pid}: ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ')}`);
  return left;
}

/** Poll until `cond` holds (no fixed sleeps). */
export async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const LIMIT_123MI = 128974848;

/** What a passing run of scenarios/two-workers-123mi.yaml must have recorded. */
export function checkTwoWorkersRun(header: RecordingHeader, events: readonly LabEvent[]): void {
  expect(header).toMatchObject({ format: 'oomlab-recording', version: 2, scenario: { id: 'two-workers-123mi' }, target: { limitBytes: LIMIT_123MI, swapPinned: true } });
  expect(events[0]!.kind).toBe('run-start');
  expect(events[events.length - 1]).toMatchObject({ kind: 'run-end', outcome: 'passed' });

  const samples = events.filter((e): e is EventOf<'sample'> => e.kind === 'sample' && e.cgroup === 'target');
  expect(samples.length).toBeGreaterThan(20);
  expect(samples.every((s) => s.limitBytes === LIMIT_123MI)).toBe(true);
  expect(Math.max(...samples.map((s) => s.usageBytes))).toBeGreaterThan(95 * 1024 * 1024);
  expect(samples[samples.length - 1]!.failcnt).toBeGreaterThan(0);

  // both workers were inside the limited cgroup before they allocated
  const starts = events.filter((e): e is EventOf<'workload-start'> => e.kind === 'workload-start');
  expect(starts.map((s) => s.workload)).toEqual(['big', 'small']);
  for (const s of starts) expect(s.verifiedMember, s.workload).toBe(true);

  // the kernel's report names a process of the 100M worker
  const kills = events.filter((e): e is EventOf<'oom-kill'> => e.kind === 'oom-kill');
  expect(kills).toHaveLength(1);
  const kill = kills[0]!;
  expect(kill.workload).toBe('big');
  expect(kill.report.comm).toBe('stress');
  expect(kill.report.anonRssKb!).toBeGreaterThan(90 * 1024);
  const bigPids = new Set<number>();
  for (const e of events) if (e.kind === 'processes') for (const p of e.processes) if (p.workload === 'big') bigPids.add(p.pid);
  expect(bigPids.has(kill.report.pid), `victim ${kill.report.pid} among big's pids ${[...bigPids].join(',')}`).toBe(true);

  const exits = events.filter((e): e is EventOf<'workload-exit'> => e.kind === 'workload-exit');
  expect(exits.find((x) => x.workload === 'big')).toMatchObject({ oomKilled: true });
  expect(exits.map((x) => x.workload).sort()).toEqual(['big', 'small']);

  const verdicts = events.filter((e): e is EventOf<'expectation'> => e.kind === 'expectation');
  expect(verdicts.length).toBe(7);
  expect(verdicts.filter((v) => !v.passed)).toEqual([]);
}
