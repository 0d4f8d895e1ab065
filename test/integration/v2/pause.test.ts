// A pause on cgroup v2 (the lab VM: kernel 6.1, cgroup2): `cgroup.freeze` on
// the target, done when cgroup.events says frozen 1. growing-allocator paused
// mid-step 2 for longer than step 2's wait timeout: frozen, flat rss, no kill
// and no timeout while paused; the kill after resume.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import type { Transport } from '../../../electron/lab/ssh/transport';
import { parseScenario } from '../../../electron/lab/scenario/load';
import { runScenario } from '../../../electron/lab/scenario/runner';
import type { PauseControl } from '../../../electron/lab/scenario/pause-control';
import { bundledLibrary } from '../../../electron/lab/session/scenario-library';
import { bootLabVm, connectLabVm, LABVM_SETUP_MS, requireLabVmOrSkip, type LabVm } from '../../helpers/labvm';
import { leftovers, probeVm } from './run-on-vm';
import { frozenSamples } from '../../helpers/pause-window';

const pre = requireLabVmOrSkip();
const LIMIT = 32 * 1024 * 1024;
const PAUSE_MS = 8000;

describe.skipIf(pre.skip)('a pause on cgroup v2 (lab VM)', () => {
  let vm: LabVm;
  let root: Transport;
  beforeAll(async () => {
    vm = await bootLabVm();
    root = await connectLabVm(vm);
  }, LABVM_SETUP_MS);
  afterAll(async () => {
    await root?.close();
    await vm?.stop();
  }, 120_000);

  it('cgroup.freeze holds a growing allocator mid-step; the step timeout waits; the kill after resume', async () => {
    const facts = await probeVm(root);
    const bundled = await bundledLibrary.resolve('growing-allocator');
    const text = readFileSync(bundled.file, 'utf8').replace('wait: { oomKill: grower, timeout: 30s }', 'wait: { oomKill: grower, timeout: 6s }');
    const loaded = parseScenario(text, bundled.file, { limit: '32Mi', rate: 8 });
    const events: LabEvent[] = [];
    let control: PauseControl | null = null;
    let pausing = false;
    let inStep2 = false;
    const r = await runScenario({
      transport: root,
      facts,
      loaded,
      appVersion: 'test-v2',
      onControl: (c) => (control = c),
      onEvent: (e) => {
        events.push(e);
        if (e.kind === 'step-start' && e.index === 1) inStep2 = true;
        if (inStep2 && !pausing && e.kind === 'sample' && e.cgroup === 'target' && e.usageBytes >= 0.8 * LIMIT) {
          pausing = true;
          void control!.pause().then(() => setTimeout(() => void control!.resume(), PAUSE_MS));
        }
      },
    });
    const pause = events.find((e): e is EventOf<'pause'> => e.kind === 'pause')!;
    const resume = events.find((e): e is EventOf<'resume'> => e.kind === 'resume')!;
    expect(pause, JSON.stringify(events.filter((e) => e.kind === 'warning' || e.kind === 'error'))).toMatchObject({ step: 1, frozen: true, warning: null });
    expect(pause.how).toMatch(/^cgroup\.freeze on \/sys\/fs\/cgroup\/oomlab\/oomlab-/);
    const step2 = events.find((e): e is EventOf<'step-end'> => e.kind === 'step-end' && e.index === 1);
    expect(step2?.outcome, step2?.message ?? '').toBe('ok');
    expect(events.filter((e) => (e.kind === 'oom-kill' || e.kind === 'workload-exit') && e.t > pause.t && e.t < resume.t)).toEqual([]);
    const frozen = frozenSamples(events, pause, resume);
    expect(frozen.length).toBeGreaterThan(10);
    const rss = frozen.map((x) => x.rssBytes);
    // On the TCG lab VM (kernel 6.1) memory.stat's anon and memory.current were seen to step up once by
    // 1-2 MiB about 5 s into an 8 s pause, then stay flat; not explained yet (a delayed rstat flush of
    // charges made just before the freeze is the guess). Until it is, v2 is held to "no growth beyond a
    // few MiB and no kill" while v1 (test/integration/run/pause-freeze.test.ts) is held to one page.
    expect(Math.max(...rss) - Math.min(...rss)).toBeLessThan(4 * 1024 * 1024);
    expect(events.find((e) => e.kind === 'oom-kill')!.t).toBeGreaterThan(resume.t);
    expect(r.outcome, r.reason ?? '').toBe('passed');
    expect(await leftovers(root)).toBe('');
  }, 240_000);
});
