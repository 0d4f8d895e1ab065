// A pause on a docker target is `docker pause`: docker-growing-allocator on this
// host's dockerd, paused at a third of the limit for 3 s. While paused the
// container is Paused, sampling goes on with the workload's rss flat, nothing is
// killed; after resume the kill comes and the run passes.
import { execFileSync } from 'node:child_process';
import { afterEach, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { probeHost } from '../../../electron/lab/host/probe';
import { loadScenario } from '../../../electron/lab/scenario/load';
import { runScenario } from '../../../electron/lab/scenario/runner';
import type { PauseControl } from '../../../electron/lab/scenario/pause-control';
import { BUNDLED_SCENARIO_DIR } from '../../../electron/lab/session/scenario-library';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { frozenSamples } from '../../helpers/pause-window';
import { describeWithDocker, oomlabContainers, removeContainers } from './helpers';

const LIMIT = 48 * 1024 * 1024;
const PAUSE_MS = 3000;

describeWithDocker('a pause on a docker target', () => {
  afterEach(() => {
    const left = oomlabContainers();
    removeContainers(left);
    expect(left).toEqual([]);
  });

  it('docker pause holds the container: Paused while paused, flat rss, no kill; the kill after resume', async () => {
    const t = new LocalTransport();
    const events: LabEvent[] = [];
    const states: string[] = [];
    try {
      const facts = await probeHost(t);
      const loaded = await loadScenario(`${BUNDLED_SCENARIO_DIR}docker-growing-allocator.yaml`, { limit: '48Mi' });
      let control: PauseControl | null = null;
      let pausing = false;
      let container = '';
      const r = await runScenario({
        transport: t,
        facts,
        loaded,
        appVersion: 'test',
        sweep: false,
        onControl: (c) => (control = c),
        onEvent: (e) => {
          events.push(e);
          if (e.kind === 'run-start') container = `oomlab-${e.runId}`;
          if (!pausing && e.kind === 'sample' && e.cgroup === 'target' && e.usageBytes >= LIMIT / 3) {
            pausing = true;
            void control!.pause().then(() => setTimeout(() => void control!.resume(), PAUSE_MS));
          }
          if (e.kind === 'pause') states.push(execFileSync('docker', ['inspect', '-f', '{{.State.Status}}', container], { encoding: 'utf8' }).trim());
        },
      });
      const pause = events.find((e): e is EventOf<'pause'> => e.kind === 'pause')!;
      const resume = events.find((e): e is EventOf<'resume'> => e.kind === 'resume')!;
      expect(pause).toMatchObject({ frozen: true, how: `docker pause ${container}`, warning: null });
      expect(states).toEqual(['paused']);
      const during = events.filter((e) => e.t > pause.t && e.t < resume.t);
      expect(during.filter((e) => e.kind === 'oom-kill' || e.kind === 'workload-exit')).toEqual([]);
      const frozen = frozenSamples(events, pause, resume);
      expect(frozen.length).toBeGreaterThan(10);
      const rss = frozen.map((x) => x.rssBytes);
      expect(Math.max(...rss) - Math.min(...rss)).toBeLessThanOrEqual(facts.pageSize);
      const kill = events.find((e) => e.kind === 'oom-kill');
      expect(kill && kill.t).toBeGreaterThan(resume.t);
      expect(r.outcome, r.reason ?? '').toBe('passed');
    } finally {
      await t.close();
    }
  }, 120_000);
});
