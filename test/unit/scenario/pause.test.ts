// A pause where the target cannot freeze (a v1 host without the freezer
// hierarchy): the pause event says so and the runner still stops counting.
// The real freeze is tested on this host in test/integration/run/pause-freeze.test.ts.

import { describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../electron/lab/events';
import { RunState, type RunOptions } from '../../../electron/lab/scenario/run-state';
import { freezeProblemOf, pauseControl } from '../../../electron/lab/scenario/pause';
import { createCgroupTarget } from '../../../electron/lab/targets/cgroup';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import type { HostClock } from '../../../electron/lab/sampler/clock';
import { WaitTimeout } from '../../../electron/lab/scenario/event-gate';
import { handBuiltFacts } from '../renderer/hand-built-events';

describe('a pause on a host that cannot freeze', () => {
  it('names why, pauses the runner only, and resume says how long', async () => {
    const transport = new LocalTransport();
    const facts = { ...handBuiltFacts, freezerMount: null };
    const events: LabEvent[] = [];
    const r = new RunState({ transport, facts, onEvent: (e: LabEvent) => events.push(e) } as unknown as RunOptions, 'r1');
    let now = 100;
    r.clock = { startEpochMs: 0, toRunTime: (x) => x, hostNow: () => now, now: () => now } as HostClock;
    r.target = createCgroupTarget(transport, facts, { runId: 'r1', limitBytes: 32 << 20, appVersion: 'test' });
    r.targetCreated = true;
    expect(freezeProblemOf(r)).toBe('local mounts no v1 freezer hierarchy');

    const c = pauseControl(r);
    await c.pause();
    expect(c.paused).toBe(true);
    expect(events).toEqual([{ kind: 'pause', t: 100, step: null, frozen: false, how: null, warning: 'local mounts no v1 freezer hierarchy: only the runner pauses, the workloads keep running' }]);
    // The runner's waits do not run down while paused, frozen or not.
    let outcome: unknown = null;
    r.gate.until(() => null, 1, () => 'ran out').catch((e: unknown) => (outcome = e));
    await new Promise((res) => setTimeout(res, 30));
    expect(outcome).toBeNull();
    now = 2100;
    await c.resume();
    expect(events.at(-1)).toEqual({ kind: 'resume', t: 2100, step: null, pausedMs: 2000 });
    await expect.poll(() => outcome).toBeInstanceOf(WaitTimeout);
    await transport.close();
  });
});

describe('a pause on a target that freezes', () => {
  it('keeps when the freeze was confirmed apart from when it was asked for', async () => {
    const transport = new LocalTransport();
    const events: LabEvent[] = [];
    const r = new RunState({ transport, facts: handBuiltFacts, onEvent: (e: LabEvent) => events.push(e) } as unknown as RunOptions, 'r1');
    let now = 100;
    r.clock = { startEpochMs: 0, toRunTime: (x) => x, hostNow: () => now, now: () => now } as HostClock;
    const target = createCgroupTarget(transport, handBuiltFacts, { runId: 'r1', limitBytes: 32 << 20, appVersion: 'test' });
    // A freeze that takes 400 ms, as `docker pause` does on a loaded host.
    target.freeze = async () => {
      now += 400;
      return 'docker pause oomlab-r1';
    };
    target.freezeProblem = () => null;
    target.thaw = async () => {};
    r.target = target;
    r.targetCreated = true;
    const c = pauseControl(r);
    await c.pause();
    expect(events).toEqual([{ kind: 'pause', t: 100, step: null, frozen: true, how: 'docker pause oomlab-r1', warning: null, frozenAt: 500 }]);
    now = 1500;
    await c.resume();
    expect(events.at(-1)).toEqual({ kind: 'resume', t: 1500, step: null, pausedMs: 1400 });
    await transport.close();
  });
});
