// Docker integration tests need root, the docker CLI and a dockerd that
// answers (Debian's docker.io; .ci/dockerd.sh starts one in CI). With CI=true a
// missing one FAILS the file; elsewhere it skips with the reason.
import { spawnSync } from 'node:child_process';
import { describe, expect } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { probeHost } from '../../../electron/lab/host/probe';
import { loadScenario } from '../../../electron/lab/scenario/load';
import { runScenario, type RunResult } from '../../../electron/lab/scenario/runner';
import { BUNDLED_SCENARIO_DIR } from '../../../electron/lab/session/scenario-library';
import type { Transport } from '../../../electron/lab/ssh/transport';

export function dockerMissing(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (leaf cgroups, /proc/<pid>/root, /dev/kmsg)';
  const v = spawnSync('sh', ['-c', 'command -v docker'], { encoding: 'utf8' });
  if (v.status !== 0) return 'docker CLI not found (apt-get install docker.io)';
  const info = spawnSync('docker', ['info', '--format', '{{.ServerVersion}}'], { encoding: 'utf8', timeout: 30_000 });
  if (info.status !== 0 || !info.stdout.trim()) return `dockerd does not answer (.ci/dockerd.sh start): ${(info.stderr || '').trim().split('\n')[0]}`;
  for (const tool of ['stress', 'ldd', 'sha256sum']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} not found on this host (the workload image is built from it)`;
  }
  return null;
}

/** describe() that skips with the reason outside CI and fails with CI=true. */
export function describeWithDocker(name: string, body: () => void): void {
  const missing = dockerMissing();
  if (missing && process.env.CI === 'true') {
    describe(name, () => {
      throw new Error(`test prerequisite missing (CI=true, not skipping): ${missing}`);
    });
    return;
  }
  if (missing) console.warn(`skipping "${name}": ${missing}`);
  describe.skipIf(missing !== null)(name, body);
}

/** Every container labelled oomlab on this daemon (ours and leftovers). */
export function oomlabContainers(): string[] {
  const r = spawnSync('docker', ['ps', '--all', '--quiet', '--no-trunc', '--filter', 'label=oomlab'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`docker ps failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

/** docker rm -f for containers a test made (by name or id); quiet when they are gone. */
export function removeContainers(refs: string[]): void {
  if (refs.length) spawnSync('docker', ['rm', '--force', '--volumes', ...refs], { stdio: 'ignore' });
}

export function containerExists(ref: string): boolean {
  return spawnSync('docker', ['container', 'inspect', ref], { stdio: 'ignore' }).status === 0;
}

export async function until(what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function expectNoOomlabContainers(): void {
  expect(oomlabContainers()).toEqual([]);
}

export const of = <K extends LabEvent['kind']>(events: readonly LabEvent[], kind: K): Array<EventOf<K>> =>
  events.filter((e): e is EventOf<K> => e.kind === kind);

/** The container's cgroup path (/docker/<id> here) from a workload-start event's leaf. */
export function containerCgroupOf(events: readonly LabEvent[], workload: string): string {
  const start = of(events, 'workload-start').find((e) => e.workload === workload);
  if (!start) throw new Error(`no workload-start for ${workload}`);
  return start.cgroup.replace(/\/wl-[^/]+$/, '');
}

/** Run a bundled scenario (scenarios/<id>.yaml) on the transport's host, without sweeping. */
export async function runBundled(transport: Transport, id: string, params: Record<string, string | number> = {}): Promise<RunResult> {
  const facts = await probeHost(transport);
  const loaded = await loadScenario(`${BUNDLED_SCENARIO_DIR}${id}.yaml`, params);
  return runScenario({ transport, facts, loaded, appVersion: 'test', onEvent: () => {}, sweep: false });
}

/** What every docker scenario must show about the container and the kernel's report. */
export function expectContainerKill(r: RunResult, victim: string): { cgroup: string; id: string } {
  const cgroup = containerCgroupOf(r.events, victim);
  // cgroupfs driver, cgroup v1 (this host): the container's cgroup is /docker/<64 hex>.
  expect(cgroup).toMatch(/^\/docker\/[0-9a-f]{64}$/);
  const id = cgroup.slice('/docker/'.length);
  const kills = of(r.events, 'oom-kill');
  expect(kills).toHaveLength(1);
  const k = kills[0]!;
  expect(k.workload).toBe(victim);
  expect(k.report.memcg).toBe(cgroup);
  expect(k.report.taskMemcg).toBe(`${cgroup}/wl-${victim}`);
  expect(k.report.containerId).toBe(id);
  return { cgroup, id };
}


/** Why a run did not pass, for assertion messages: its reason and the failed expectations. */
export function whyNot(r: RunResult): string {
  const failed = r.verdicts.filter((v) => !v.passed).map((v) => `step ${v.step + 1}: ${v.text} — ${v.observed}`);
  return [r.reason ?? '', ...failed].filter(Boolean).join('\n');
}
