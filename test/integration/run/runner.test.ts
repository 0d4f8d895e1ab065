// The scenario runner in-process over LocalTransport: real cgroup v1, real
// stress, real kernel log. Timeouts, aborts and knobs all end with nothing of
// the run left on the host.

import { afterEach, describe, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { parseScenario } from '../../../electron/lab/scenario/load';
import { runScenario, type RunResult } from '../../../electron/lab/scenario/runner';
import { probeHost } from '../../../electron/lab/host/probe';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createTarget } from '../../../electron/lab/targets/factory';
import type { WorkloadHandle } from '../../../electron/lab/workloads/spec';
import { measureHostClock } from '../../../electron/lab/sampler/clock';
import { requireOrSkip } from '../../helpers/sshd';
import { leftovers, until } from '../cli/oomlab-child';

const pre = requireOrSkip(['root', 'cgroup-v1-memory', 'stress']);

async function run(yaml: string, opts: { signal?: AbortSignal; onEvent?: (e: LabEvent) => void } = {}): Promise<RunResult> {
  const transport = new LocalTransport();
  try {
    const facts = await probeHost(transport);
    return await runScenario({
      transport,
      facts,
      loaded: parseScenario(yaml, 'inline.yaml'),
      appVersion: 'test',
      onEvent: opts.onEvent ?? (() => {}),
      signal: opts.signal,
      sweep: false, // other runs may share this host
    });
  } finally {
    await transport.close();
  }
}

describe.skipIf(pre.skip)('runScenario on this host', () => {
  let last: LabEvent[] = [];
  afterEach(async () => {
    const events = last;
    last = [];
    await until(() => leftovers(events).length === 0, 15_000, 'no leftovers').catch(() => {});
    expect(leftovers(events)).toEqual([]);
  });

  it('a wait that times out fails the step and the run, and cleans up', async () => {
    const r = await run(`id: t
title: T
limit: 32Mi
steps:
  - title: waits for a kill that never comes
    actions:
      - start: { workload: hog, stress: { vmBytes: 4M, vmKeep: true }, timeCap: 1m }
      - wait: { oomKill: any, timeout: 2s }
      - stop: hog
  - title: never reached
`);
    last = r.events;
    expect(r.outcome).toBe('failed');
    expect(r.reason).toBe('step 1: timed out after 2 s waiting for an OOM kill');
    const ends = r.events.filter((e): e is EventOf<'step-end'> => e.kind === 'step-end');
    expect(ends).toEqual([expect.objectContaining({ index: 0, outcome: 'timeout' })]);
    expect(r.events.filter((e) => e.kind === 'step-start')).toHaveLength(1);
    expect(r.events.find((e) => e.kind === 'workload-exit')).toBeDefined();
  });

  it('an abort mid-step ends the run as aborted after cleanup', async () => {
    const ac = new AbortController();
    const r = await run(
      `id: a
title: A
limit: 32Mi
steps:
  - title: holds
    actions:
      - start: { workload: hog, stress: { vmBytes: 4M, vmKeep: true }, timeCap: 1m }
      - wait: { for: 1m }
`,
      { signal: ac.signal, onEvent: (e) => e.kind === 'workload-start' && ac.abort() },
    );
    last = r.events;
    expect(r.outcome).toBe('aborted');
    expect(r.events[r.events.length - 1]).toMatchObject({ kind: 'run-end', outcome: 'aborted', reason: 'interrupted' });
    expect(r.events.at(-1)!.t).toBeLessThan(30_000);
  });

  it('oom-kill-disable stalls the workload under OOM; re-enabling lets the kernel kill it', async () => {
    const r = await run(`id: k
title: K
limit: 16Mi
steps:
  - title: killer off
    actions:
      - set: { oom-kill-disable: true }
      - start: { workload: hog, stress: { vmBytes: 32M, vmKeep: true }, timeCap: 1m }
      - wait: { underOom: true, timeout: 20s }
    expect:
      - underOom: true
      - notOomKilled: hog
      - oomKills: 0
  - title: killer on
    actions:
      - set: { oom-kill-disable: false }
      - wait: { oomKill: hog, timeout: 20s }
    expect:
      - oomKilled: hog
      - oomKills: { atLeast: 1 }
`);
    last = r.events;
    expect(r.verdicts.filter((v) => !v.passed), JSON.stringify(r.verdicts)).toEqual([]);
    expect(r.outcome).toBe('passed');
  });

  it("an OOM kill in another cgroup on the host is not this run's", async () => {
    // A second, separate oomlab target where a worker is OOM-killed while the run waits.
    const transport = new LocalTransport();
    const facts = await probeHost(transport);
    const clock = await measureHostClock(transport);
    const other = createTarget(transport, facts, { runId: `foreign-${Date.now().toString(36)}`, limitBytes: 16 * 1024 * 1024, appVersion: 'test' });
    let foreign: WorkloadHandle | null = null;
    try {
      await other.create();
      const r = await run(
        `id: f
title: F
limit: 32Mi
steps:
  - title: waits for a kill of its own
    actions:
      - start: { workload: hog, stress: { vmBytes: 4M, vmKeep: true }, timeCap: 1m }
      - wait: { oomKill: any, timeout: 4s }
`,
        {
          onEvent: (e) => {
            if (e.kind === 'workload-start' && !foreign) {
              foreign = other.startWorkload({ transport, facts, clock }, 'foreign', { kind: 'stress', vm: 1, vmBytes: 32 * 1024 * 1024, timeCapSec: 30 }, () => {});
            }
          },
        },
      );
      last = r.events;
      expect(foreign).not.toBeNull();
      const exit = await foreign!.exited;
      expect(exit.oomKilled).toBe(true); // the foreign kill did happen, during the wait
      expect(r.events.filter((e) => e.kind === 'oom-kill')).toEqual([]);
      const warning = r.events.find((e): e is EventOf<'warning'> => e.kind === 'warning' && e.message.startsWith('OOM kill outside this run'));
      expect(warning?.message).toContain(other.hierarchyPath);
      expect(r.outcome).toBe('failed');
      expect(r.reason).toBe('step 1: timed out after 4 s waiting for an OOM kill');
    } finally {
      await other.destroy();
      await transport.close();
    }
  });

  it('kills beyond the kernel\'s report rate limit (header-less reports) are still counted as this run\'s', async () => {
    // The kernel prints the full report (with the cgroup) for at most 10 kills per 5 s host-wide.
    const n = 14;
    const actions = Array.from({ length: n }, (_, i) => [
      `      - start: { workload: hog${i}, stress: { vmBytes: 32M }, timeCap: 1m }`,
      `      - wait: { exited: hog${i}, timeout: 20s }`,
    ]).flat();
    const r = await run(`id: many
title: Many kills
limit: 16Mi
steps:
  - title: one kill after another
    actions:
${actions.join('\n')}
    expect:
${Array.from({ length: n }, (_, i) => `      - oomKilled: hog${i}`).join('\n')}
      - oomKills: ${n}
`);
    last = r.events;
    const kills = r.events.filter((e): e is EventOf<'oom-kill'> => e.kind === 'oom-kill');
    const headerless = kills.filter((k) => k.report.taskMemcg === null);
    expect(kills).toHaveLength(n);
    expect(headerless.length, 'the rate limit was reached (else this test proves nothing)').toBeGreaterThan(0);
    expect(r.verdicts.filter((v) => !v.passed), JSON.stringify(r.verdicts.filter((v) => !v.passed))).toEqual([]);
  });
});
