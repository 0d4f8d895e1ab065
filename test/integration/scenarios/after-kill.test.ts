// A run that ends right at an OOM kill must still show the kill on the chart:
// the step that waited for the kill holds a sample read after it (failcnt and
// oom_kill counted, usage dropped), and sampling goes on for the scenario's
// tail (default 1 s) before cleanup. Without either, the last samples of such a
// run show usage before the spike and failcnt 0, while the kernel's report
// already says otherwise. Real cgroup v1, real stress, real kernel log.

import { afterEach, describe, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { probeHost } from '../../../electron/lab/host/probe';
import { parseScenario } from '../../../electron/lab/scenario/load';
import { runScenario, type RunResult } from '../../../electron/lab/scenario/runner';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { requireOrSkip } from '../../helpers/sshd';
import { leftovers, until } from '../cli/oomlab-child';

const pre = requireOrSkip(['root', 'cgroup-v1-memory', 'stress']);

async function run(yaml: string): Promise<RunResult> {
  const transport = new LocalTransport();
  try {
    const facts = await probeHost(transport);
    return await runScenario({ transport, facts, loaded: parseScenario(yaml, 'inline.yaml'), appVersion: 'test', onEvent: () => {}, sweep: false });
  } finally {
    await transport.close();
  }
}

// The kill is the last thing the scenario does, and the step checks nothing
// (so nothing else makes the runner wait for one more sample).
const endsAtTheKill = (tail: string) => `id: ends-at-kill
title: Ends at the kill
limit: 32Mi
${tail}steps:
  - title: grow and die
    actions:
      - start: { workload: hog, stress: { vmBytes: 48M, vmKeep: true }, timeCap: 1m }
      - wait: { oomKill: hog, timeout: 20s }
`;

const targetSamples = (events: readonly LabEvent[]) => events.filter((e): e is EventOf<'sample'> => e.kind === 'sample' && e.cgroup === 'target');

describe.skipIf(pre.skip)('sampling after the kill', () => {
  let last: LabEvent[] = [];
  afterEach(async () => {
    const events = last;
    last = [];
    await until(() => leftovers(events).length === 0, 15_000, 'no leftovers').catch(() => {});
    expect(leftovers(events)).toEqual([]);
  });

  it('the waiting step holds a post-kill sample, and the chart goes on for the tail before cleanup', async () => {
    const r = await run(endsAtTheKill(''));
    last = r.events;
    expect(r.outcome, r.reason ?? '').toBe('passed');
    const ev = r.events;
    const killAt = ev.findIndex((e) => e.kind === 'oom-kill');
    const stepEnd = ev.findIndex((e) => e.kind === 'step-end');
    expect(killAt).toBeGreaterThan(0);
    const kill = ev[killAt] as EventOf<'oom-kill'>;

    // inside the step: a sample after the kill that counts it, with the failed charges
    const inStep = targetSamples(ev.slice(killAt, stepEnd));
    expect(inStep.length, 'samples between the kill and the end of its step').toBeGreaterThan(0);
    const counted = inStep.find((s) => (s.oomKills ?? 0) >= 1);
    expect(counted, 'a sample in the step counts the kill').toBeDefined();
    expect(counted!.failcnt).toBeGreaterThan(0);

    // after the step: the tail, announced, then at least ~1 s more of samples showing the drop
    const tailAt = ev.findIndex((e) => e.kind === 'action' && e.text === 'keep sampling 1 s before cleaning up');
    expect(tailAt).toBeGreaterThan(stepEnd);
    const after = targetSamples(ev.slice(killAt));
    expect(after[after.length - 1]!.t - kill.t).toBeGreaterThanOrEqual(900);
    expect(after.some((s) => s.usageBytes < 4 * 1024 * 1024 && (s.oomKills ?? 0) >= 1), 'usage dropped after the kill').toBe(true);
    expect(kill.report.memcgUsage?.failcnt ?? 0).toBeLessThanOrEqual(Math.max(...after.map((s) => s.failcnt)));
  });

  it('tail: 0s turns the tail off (cleanup follows the last step at once)', async () => {
    const r = await run(endsAtTheKill('tail: 0s\n'));
    last = r.events;
    expect(r.outcome, r.reason ?? '').toBe('passed');
    expect(r.events.some((e) => e.kind === 'action' && e.text.startsWith('keep sampling'))).toBe(false);
    const kill = r.events.find((e): e is EventOf<'oom-kill'> => e.kind === 'oom-kill')!;
    const after = targetSamples(r.events).filter((s) => s.t > kill.t);
    expect(after.length === 0 || after[after.length - 1]!.t - kill.t < 900).toBe(true);
  });
});
