// Every plain-cgroup scenario of the library, run for real as a user runs it:
//   oomlab run <id> --host root@127.0.0.1:PORT (a real sshd) --json --no-sweep
// on this machine's cgroup v1. Each must pass every expectation, stay short,
// and leave nothing behind. Scenarios for cgroup v2 are skipped here (the lab
// VM's v2 suite runs them); running one here must be refused before anything
// is created.

import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { bundledScenarios } from '../../../electron/lab/session/scenario-library';
import { exitCodes } from '../../../electron/cli/exit';
import { isPlainCgroup } from '../../../scenarios/record';
import { requireOrSkip, startSshd, type TestSshd } from '../../helpers/sshd';
import { leftovers, parseNdjson, runCli, until } from '../cli/oomlab-child';

const pre = requireOrSkip(['root', 'sshd', 'cgroup-v1-memory', 'stress', 'stress-ng']);
const env = { SSH_AUTH_SOCK: '' };
/** Each run must stay short: CI runs them all within its 90 minutes with everything else. */
const MAX_RUN_MS = 20_000;

const scenarios = (await bundledScenarios()).map((l) => l.scenario).filter(isPlainCgroup);
const here = scenarios.filter((s) => s.requires?.cgroup !== 'v2');
const elsewhere = scenarios.filter((s) => s.requires?.cgroup === 'v2');

describe.skipIf(pre.skip)('the scenario library on cgroup v1 over SSH', () => {
  let h: TestSshd;
  const times: string[] = [];
  const flags = () => ['--host', h.spec, '--identity', h.identityFile, '--known-hosts', h.knownHostsFile, '--ssh-config', h.sshConfigFile];

  beforeAll(async () => {
    h = await startSshd();
  });
  afterAll(async () => {
    await h?.stop();
    if (times.length) console.log(`scenario run times:\n${times.join('\n')}`);
  });

  it.each(here.map((s) => [s.id, s] as const))('%s passes every expectation and leaves nothing behind', async (id, s) => {
    const t0 = Date.now();
    const r = await runCli(['run', id, ...flags(), '--json', '--no-sweep'], env);
    const wall = Date.now() - t0;
    const events: LabEvent[] = parseNdjson(r.stdout);
    try {
      const failed = events.filter((e): e is EventOf<'expectation'> => e.kind === 'expectation' && !e.passed);
      expect(failed.map((v) => `${v.text} — ${v.observed}`), r.stderr).toEqual([]);
      expect(r.code, `stderr:\n${r.stderr}`).toBe(0);
      const end = events[events.length - 1]!;
      expect(end).toMatchObject({ kind: 'run-end', outcome: 'passed' });

      // every step that ran judged all of its expectations; only steps with requirements may be skipped
      const stepEnds = events.filter((e): e is EventOf<'step-end'> => e.kind === 'step-end');
      expect(stepEnds.map((e) => e.index)).toEqual(s.steps.map((_, i) => i));
      let expected = 0;
      for (const e of stepEnds) {
        if (e.outcome === 'skipped') expect(s.steps[e.index]!.requires, `${id} step ${e.index + 1} skipped: ${e.message}`).toBeDefined();
        else expected += s.steps[e.index]!.expect.length;
      }
      expect(events.filter((e) => e.kind === 'expectation')).toHaveLength(expected);
      expect(end.t).toBeLessThan(MAX_RUN_MS);
      times.push(`  ${id}: run ${(end.t / 1000).toFixed(1)} s, ${(wall / 1000).toFixed(1)} s with connect, probe and CLI start`);
    } finally {
      // nothing of ours remains: the cgroup, its processes, the owner record, the scratch dir
      const start = events.find((e): e is EventOf<'run-start'> => e.kind === 'run-start');
      await until(() => leftovers(events).length === 0, 15_000, 'no leftovers').catch(() => {});
      expect(leftovers(events)).toEqual([]);
      if (start) {
        expect(existsSync(`/run/oomlab/oomlab-${start.runId}.json`)).toBe(false);
        expect(existsSync(`/var/tmp/oomlab-${start.runId}`)).toBe(false);
      }
    }
  });

  it.skipIf(elsewhere.length === 0)(`a cgroup v2 scenario (${elsewhere.map((s) => s.id).join(', ')}) is refused here before anything is created; the v2 suite on the lab VM runs it`, async () => {
    for (const s of elsewhere) {
      const r = await runCli(['run', s.id, ...flags(), '--json', '--no-sweep'], env);
      expect(r.code, r.stderr).toBe(exitCodes.host);
      expect(r.stderr).toContain(`${s.id} needs cgroup v2; ${h.spec} has its memory controller on cgroup v1`);
      expect(parseNdjson(r.stdout).filter((e) => e.kind === 'run-start')).toEqual([]);
    }
  });
});
