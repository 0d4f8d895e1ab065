// The scenario runner in-process over LocalTransport: real cgroup v1, real
// stress, real kernel log. Timeouts, aborts and knobs all end with nothing of
// the run left on the host.

import { afterEach, describe, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { parseScenario } from '../../../electron/lab/scenario/load';
import { runScenario, type RunResult } from '../../../electron/lab/scenario/runner';
import { probeHost } from '../../../electron/lab/host/probe';
import { LocalTransport } from '../../../electron/lab/ssh/local';
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
});
