// The bundled docker-* scenarios on this host's real dockerd, over
// LocalTransport (the same engine path as SSH): real containers, real OOM
// kills, the real kernel log. Every test ends with no oomlab container left.
import { existsSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { probeHost } from '../../../electron/lab/host/probe';
import { loadScenario } from '../../../electron/lab/scenario/load';
import { runScenario, type RunResult } from '../../../electron/lab/scenario/runner';
import { BUNDLED_SCENARIO_DIR } from '../../../electron/lab/session/scenario-library';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { containerCgroupOf, describeWithDocker, expectContainerKill, expectNoOomlabContainers, of, oomlabContainers, removeContainers, runBundled, until, whyNot } from './helpers';

const MIB = 1024 * 1024;

describeWithDocker('docker scenarios on this host', () => {
  let made: string[] = [];
  afterEach(async () => {
    // Whatever happened, nothing of ours may stay (and never leak into the next test).
    const left = oomlabContainers();
    removeContainers(left);
    expect(left).toEqual([]);
    for (const id of made) expect(existsSync(`/sys/fs/cgroup/memory/docker/${id}`)).toBe(false);
    made = [];
  });

  it('docker-growing-allocator: the main process grows to the limit; OOMKilled=true, exit 137, the report names /docker/<id>', async () => {
    const t = new LocalTransport();
    let r: RunResult;
    try {
      r = await runBundled(t, 'docker-growing-allocator', { limit: '48Mi' });
    } finally {
      await t.close();
    }
    const { id } = expectContainerKill(r, 'alloc');
    made.push(id);
    expect(r.outcome, whyNot(r)).toBe('passed');
    expect(r.verdicts.every((v) => v.passed)).toBe(true);

    const status = of(r.events, 'status');
    expect(status.length).toBeGreaterThan(0);
    expect(status[status.length - 1]).toMatchObject({ subject: 'container', phase: 'exited', oomKilled: true, exitCode: 137, restartCount: 0, reason: 'OOMKilled' });
    const exit = of(r.events, 'workload-exit').find((e) => e.workload === 'alloc')!;
    expect(exit).toMatchObject({ signal: 'KILL', code: null, oomKilled: true });
    // The victim held about the whole limit (the write-up's "rss x 4 KB = the limit").
    const k = of(r.events, 'oom-kill')[0]!.report;
    expect(k.anonRssKb! * 1024).toBeGreaterThan(0.8 * 48 * MIB);
    expect(k.anonRssKb! * 1024).toBeLessThanOrEqual(48 * MIB);
    // The sampler read the container's own cgroup: its limit is --memory.
    const samples = of(r.events, 'sample');
    expect(samples.length).toBeGreaterThan(3);
    expect(samples[0]!.limitBytes).toBe(48 * MIB);
    expect(of(r.events, 'action').some((a) => a.text.startsWith(`removed /sys/fs/cgroup/memory/docker/${id}`))).toBe(true);
  });

  it('docker-pid1-survives: an exec\'d grower is killed, PID 1 lives on, docker says running and OOMKilled=false', async () => {
    const t = new LocalTransport();
    let r: RunResult;
    try {
      r = await runBundled(t, 'docker-pid1-survives');
    } finally {
      await t.close();
    }
    const { id } = expectContainerKill(r, 'grower');
    made.push(id);
    expect(r.outcome, whyNot(r)).toBe('passed');
    const afterKill = of(r.events, 'status')[0]!;
    expect(afterKill).toMatchObject({ phase: 'running', oomKilled: false, exitCode: null });
    expect(of(r.events, 'oom-kill')[0]!.report.pid).not.toBe(of(r.events, 'workload-start').find((e) => e.workload === 'service')!.pid);
    // The service was the container's main process and was only stopped at cleanup.
    expect(of(r.events, 'workload-exit').find((e) => e.workload === 'service')).toMatchObject({ oomKilled: false, stopped: true });
  });

  it('docker-two-workers-123mi: the 100M worker dies, the 50M one and the container live on', async () => {
    const t = new LocalTransport();
    let r: RunResult;
    try {
      r = await runBundled(t, 'docker-two-workers-123mi');
    } finally {
      await t.close();
    }
    const { id } = expectContainerKill(r, 'big');
    made.push(id);
    expect(r.outcome, whyNot(r)).toBe('passed');
    expect(of(r.events, 'sample')[0]!.limitBytes).toBe(123 * MIB);
    expect(of(r.events, 'status')[0]).toMatchObject({ phase: 'running', oomKilled: false });
    expect(of(r.events, 'oom-kill')[0]!.report.anonRssKb! * 1024).toBeGreaterThan(95 * 1000 * 1000);
  });

  it('an aborted run removes its container too', async () => {
    const t = new LocalTransport();
    const ac = new AbortController();
    try {
      const facts = await probeHost(t);
      const loaded = await loadScenario(`${BUNDLED_SCENARIO_DIR}docker-pid1-survives.yaml`);
      const r = await runScenario({ transport: t, facts, loaded, appVersion: 'test', sweep: false, signal: ac.signal, onEvent: (e) => e.kind === 'workload-start' && ac.abort() });
      expect(r.outcome).toBe('aborted');
      made.push(containerCgroupOf(r.events, 'service').slice('/docker/'.length));
    } finally {
      await t.close();
    }
    await until('no oomlab container', () => oomlabContainers().length === 0, 20_000);
    expectNoOomlabContainers();
  });
});
