// A pause freezes the experiment: growing-allocator over the loopback sshd,
// real v1 memory + freezer cgroups, paused mid-step 2 just before the kill for
// longer than step 2's wait timeout. While frozen the sampler goes on and
// usage stays flat, nothing is killed, the step's timeout does not run down;
// after resume the kill comes and the step passes.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { connectTestHost, requireOrSkip, startSshd, type TestSshd } from '../../helpers/sshd';
import { probeHost } from '../../../electron/lab/host/probe';
import { parseScenario } from '../../../electron/lab/scenario/load';
import { runScenario } from '../../../electron/lab/scenario/runner';
import type { PauseControl } from '../../../electron/lab/scenario/pause-control';
import { bundledLibrary } from '../../../electron/lab/session/scenario-library';
import { leftovers } from '../cli/oomlab-child';
import { frozenSamples } from '../../helpers/pause-window';

const pre = requireOrSkip(['root', 'sshd', 'cgroup-v1-memory', 'stress']);
const FREEZER = '/sys/fs/cgroup/freezer';
const LIMIT = 32 * 1024 * 1024;
/** Step 2 waits this long for the kill; the pause lasts longer. */
const STEP2_TIMEOUT_S = 5;
const PAUSE_MS = 8000;

describe.skipIf(pre.skip || !existsSync(`${FREEZER}/freezer.state`) && !existsSync(`${FREEZER}/cgroup.procs`))('a pause on a v1 host', () => {
  let h: TestSshd;
  beforeAll(async () => {
    h = await startSshd();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('freezes a growing allocator mid-step: flat samples, no kill and no step timeout while paused, the kill after resume', async () => {
    const transport = await connectTestHost(h);
    const events: LabEvent[] = [];
    try {
      const facts = await probeHost(transport);
      expect(facts.freezerMount).toBe(FREEZER);
      const bundled = await bundledLibrary.resolve('growing-allocator');
      const text = readFileSync(bundled.file, 'utf8').replace('wait: { oomKill: grower, timeout: 30s }', `wait: { oomKill: grower, timeout: ${STEP2_TIMEOUT_S}s }`);
      const loaded = parseScenario(text, bundled.file, { limit: '32Mi', rate: 8 });
      let control: PauseControl | null = null;
      let pausing = false;
      let inStep2 = false;
      let freezerDir: string | null = null;
      const r = await runScenario({
        transport,
        facts,
        loaded,
        appVersion: 'test',
        sweep: false, // other runs share this host
        onControl: (c) => (control = c),
        onEvent: (e) => {
          events.push(e);
          if (e.kind === 'run-start') freezerDir = `${FREEZER}/oomlab/oomlab-${e.runId}`;
          if (e.kind === 'step-start' && e.index === 1) inStep2 = true;
          // Mid-step 2, at 80 % of the limit: 6 MiB (under a second at 8 MiB/s) before the kill.
          if (inStep2 && !pausing && e.kind === 'sample' && e.cgroup === 'target' && e.usageBytes >= 0.8 * LIMIT) {
            pausing = true;
            void control!.pause().then(() => setTimeout(() => void control!.resume(), PAUSE_MS));
          }
          if (e.kind === 'pause' && freezerDir) expect(readFileSync(`${freezerDir}/freezer.state`, 'utf8').trim()).toBe('FROZEN');
        },
      });
      const pause = events.find((e): e is EventOf<'pause'> => e.kind === 'pause')!;
      const resume = events.find((e): e is EventOf<'resume'> => e.kind === 'resume')!;
      expect(pause, 'a pause event').toBeDefined();
      // The step's 5 s wait did not run out during the 8 s pause, and nothing was killed while frozen.
      const step2 = events.find((e): e is EventOf<'step-end'> => e.kind === 'step-end' && e.index === 1);
      expect(step2?.outcome, step2?.message ?? '').toBe('ok');
      const during = events.filter((e) => e.t > pause.t && e.t < resume.t);
      expect(during.filter((e) => e.kind === 'oom-kill' || e.kind === 'workload-exit')).toEqual([]);
      expect(pause).toMatchObject({ step: 1, frozen: true, warning: null, how: `freezer.state on ${freezerDir}` });
      expect(resume.pausedMs).toBeGreaterThanOrEqual(PAUSE_MS);
      // Sampling went on; from when the kernel said FROZEN (pause.frozenAt) the workload's rss is flat
      // to the page. usage also counts kernel objects the freezer does not hold (slab, per-cpu charge caches: a few
      // hundred KiB move). The last 25 ms before resume are left out: the host's clock is known to half a round trip.
      const frozen = frozenSamples(events, pause, resume);
      expect(frozen.length).toBeGreaterThan(20);
      const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);
      expect(spread(frozen.map((x) => x.rssBytes))).toBeLessThanOrEqual(facts.pageSize);
      expect(spread(frozen.map((x) => x.usageBytes))).toBeLessThan(1024 * 1024);
      const kill = events.find((e) => e.kind === 'oom-kill');
      expect(kill && kill.t).toBeGreaterThan(resume.t);
      expect(r.outcome, r.reason ?? '').toBe('passed');
      expect(existsSync(freezerDir!), `${freezerDir} removed`).toBe(false);
      expect(leftovers(events)).toEqual([]);
    } finally {
      await transport.close();
    }
  }, 90_000);

  it('stopped while frozen: the workload dies (a v1 frozen task needs a thaw for SIGKILL) and nothing is left', async () => {
    const transport = await connectTestHost(h);
    const events: LabEvent[] = [];
    const ac = new AbortController();
    try {
      const facts = await probeHost(transport);
      const loaded = await bundledLibrary.resolve('growing-allocator', { limit: '32Mi', rate: 8 });
      let control: PauseControl | null = null;
      let pausing = false;
      let freezerDir = '';
      const r = await runScenario({
        transport,
        facts,
        loaded,
        appVersion: 'test',
        sweep: false,
        signal: ac.signal,
        onControl: (c) => (control = c),
        onEvent: (e) => {
          events.push(e);
          if (e.kind === 'run-start') freezerDir = `${FREEZER}/oomlab/oomlab-${e.runId}`;
          if (!pausing && e.kind === 'sample' && e.cgroup === 'target' && e.usageBytes >= 0.3 * LIMIT) {
            pausing = true;
            void control!.pause();
          }
          // Stop (the desktop's Stop, Ctrl-C) while the kernel holds the workload frozen.
          if (e.kind === 'pause') ac.abort(new Error('stop'));
        },
      });
      expect(events.find((e) => e.kind === 'pause')).toMatchObject({ frozen: true });
      expect(r.outcome).toBe('aborted');
      expect(r.cleanupFailed).toBe(false);
      expect(existsSync(freezerDir), `${freezerDir} removed`).toBe(false);
      expect(leftovers(events)).toEqual([]);
    } finally {
      await transport.close();
    }
  }, 90_000);
});
