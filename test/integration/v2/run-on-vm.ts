// Helpers of the cgroup v2 suite: run a scenario file on the lab VM through
// the SSH transport exactly as `oomlab run` does, and check the VM is clean.

import { loadScenario } from '../../../electron/lab/scenario/load';
import { runScenario, type RunResult } from '../../../electron/lab/scenario/runner';
import { probeHost } from '../../../electron/lab/host/probe';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { EventOf, LabEvent, LabEventKind } from '../../../electron/lab/events';
import type { HostFacts } from '../../../electron/lab/host/facts';
import type { Transport } from '../../../electron/lab/ssh/transport';

export async function probeVm(t: Transport): Promise<HostFacts> {
  return probeHost(t);
}

export const REPO = join(import.meta.dirname, '../../..');

/** `oomlab ARGS` as a user runs it (bin/oomlab.js through tsx); resolves with the exit code, never rejects on one. */
export function oomlab(args: string[], timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/oomlab.js'), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGINT'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** NDJSON events as `oomlab run --json` prints them. */
/** The events of `run --json` output (its first line is the recording header, which is not an event). */
export function parseEvents(ndjson: string): LabEvent[] {
  return ndjson
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LabEvent | { format: string })
    .filter((e): e is LabEvent => 'kind' in e);
}

export async function runScenarioOn(t: Transport, file: string, reconnect: () => Promise<Transport>): Promise<RunResult & { ms: number }> {
  const facts = await probeVm(t);
  const loaded = await loadScenario(file);
  const t0 = Date.now();
  const r = await runScenario({ transport: t, facts, loaded, appVersion: 'test-v2', onEvent: () => {}, reconnect });
  return { ...r, ms: Date.now() - t0 };
}

export function eventsOf<K extends LabEventKind>(events: readonly LabEvent[], kind: K): Array<EventOf<K>> {
  return events.filter((e): e is EventOf<K> => e.kind === kind);
}

/** The target's samples (not sub-groups). */
export function targetSamples(events: readonly LabEvent[]) {
  return eventsOf(events, 'sample').filter((s) => s.cgroup === 'target');
}

/** Verdicts and errors in one line, so a failed run says why in the test output. */
export function explain(r: Pick<RunResult, 'outcome' | 'reason' | 'events'> & { verdicts: ReadonlyArray<{ passed: boolean; step: number; text: string; observed: string }> }): string {
  const bad = r.verdicts.filter((v) => !v.passed).map((v) => `step ${v.step}: ${v.text} (observed ${v.observed})`);
  const errors = eventsOf(r.events, 'error').map((e) => e.message);
  return `${r.outcome}${r.reason ? `: ${r.reason}` : ''}${bad.length ? ` | failed: ${bad.join('; ')}` : ''}${errors.length ? ` | errors: ${errors.join('; ')}` : ''}`;
}

/** oomlab cgroups, owner records, scratch dirs and stress processes left on the VM (empty when clean). */
export async function leftovers(t: Transport): Promise<string> {
  const r = await t.exec(
    "find /sys/fs/cgroup -name 'oomlab*' 2>/dev/null; ls -d /run/oomlab/oomlab-* /var/tmp/oomlab-* 2>/dev/null; pgrep -a -x stress; pgrep -a -x stress-ng; true",
    { timeoutMs: 30_000 },
  );
  return r.stdout.trim();
}
