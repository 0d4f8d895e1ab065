// The shipped recordings (scenarios/recordings/*.ndjson, made by real runs with
// `npx tsx scenarios/record.ts`) still read with the current reader, were made
// from the current version of their scenario, and pass its expectations when
// they are evaluated again by the current code. A recording made before a
// scenario, its narration or the expectation semantics changed fails here:
// re-record it, never edit it.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { readRecording } from '../../../electron/lab/recording/read';
import { bundledScenarios, BUNDLED_SCENARIO_DIR } from '../../../electron/lab/session/scenario-library';
import { evaluateExpectation } from '../../../electron/lab/scenario/expectations';
import { isDocker, isPlainCgroup } from '../../../scenarios/record';

const DIR = join(BUNDLED_SCENARIO_DIR, 'recordings');
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.ndjson')) : [];

describe('shipped recordings', () => {
  it('every plain-cgroup scenario this machine (cgroup v1) can run has one', async () => {
    const missing = (await bundledScenarios())
      .map((l) => l.scenario)
      .filter((s) => isPlainCgroup(s) && !files.includes(`${s.id}.ndjson`));
    // only scenarios for the other cgroup version may lack one (recorded on a v2 host)
    expect(missing.filter((s) => s.requires?.cgroup !== 'v2').map((s) => s.id)).toEqual([]);
  });

  it('every docker scenario has one, recorded on a real dockerd (a docker target in the header)', async () => {
    const docker = (await bundledScenarios()).map((l) => l.scenario).filter(isDocker);
    expect(docker.length).toBeGreaterThan(0);
    for (const s of docker) {
      expect(files, s.id).toContain(`${s.id}.ndjson`);
      const { header } = await readRecording(join(DIR, `${s.id}.ndjson`));
      expect(header.target.kind).toBe('docker');
    }
  });

  it.each(files)('%s reads back, matches its scenario, and its expectations pass', async (file) => {
    const { header, events, warnings } = await readRecording(join(DIR, file));
    expect(warnings).toEqual([]);
    const id = file.replace(/\.ndjson$/, '');
    expect(header.scenario.id).toBe(id);
    const loaded = (await bundledScenarios()).find((l) => l.scenario.id === id);
    expect(loaded, `${id} is a bundled scenario`).toBeDefined();
    const s = loaded!.scenario;

    const end = events[events.length - 1]!;
    expect(end).toMatchObject({ kind: 'run-end', outcome: 'passed' });
    const verdicts = events.filter((e): e is EventOf<'expectation'> => e.kind === 'expectation');
    expect(verdicts.filter((v) => !v.passed)).toEqual([]);

    // made from the current scenario: same steps, titles and narration
    const starts = events.filter((e): e is EventOf<'step-start'> => e.kind === 'step-start');
    expect(starts.map((e) => e.title)).toEqual(s.steps.map((st) => st.title));
    expect(starts.map((e) => e.narration)).toEqual(s.steps.map((st) => st.narration ?? { en: '' }));

    // every expectation of every step that ran, judged again by today's code
    const ends = events.map((e, i) => [e, i] as const).filter((x): x is readonly [EventOf<'step-end'>, number] => x[0].kind === 'step-end');
    expect(ends.map(([e]) => e.index)).toEqual(s.steps.map((_, i) => i));
    for (const [e, at] of ends) {
      const step = s.steps[e.index]!;
      if (e.outcome === 'skipped') {
        expect(step.requires, `${id} step ${e.index + 1} was skipped: only steps with requirements may be`).toBeDefined();
        continue;
      }
      expect(e.outcome, `${id} step ${e.index + 1}`).toBe('ok');
      expect(verdicts.filter((v) => v.step === e.index)).toHaveLength(step.expect.length);
      const seen: LabEvent[] = events.slice(0, at);
      for (const x of step.expect) {
        const v = evaluateExpectation(x, seen);
        expect(v.passed, `${id} step ${e.index + 1}: ${v.text} — ${v.observed}`).toBe(true);
      }
    }
  });
});
