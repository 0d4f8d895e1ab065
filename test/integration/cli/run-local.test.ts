// `oomlab run` / `replay` / `cleanup` as child processes on this machine
// (--host local): real cgroup v1, real stress, real OOM kills, real kernel log.

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { readRecording } from '../../../electron/lab/recording/read';
import { requireOrSkip } from '../../helpers/sshd';
import { checkTwoWorkersRun, leftovers, parseNdjson, pidAlive, runCli, spawnCli, until, workloadPids } from './oomlab-child';

const pre = requireOrSkip(['root', 'cgroup-v1-memory', 'stress']);

describe.skipIf(pre.skip)('oomlab run --host local', () => {
  let dir: string;
  // Every run's events, so afterEach can check that nothing of it remains.
  let seen: LabEvent[][] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'oomlab-cli-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    const runs = seen;
    seen = [];
    for (const events of runs) {
      // workloads die with their channel; give the kernel a moment to reap them
      await until(() => leftovers(events).length === 0, 15_000, `no leftovers (${leftovers(events).join('; ')})`).catch(() => {});
      expect(leftovers(events)).toEqual([]);
    }
  });

  it('runs the two-workers scenario: the 100M worker is OOM-killed, recorded and replayable', async () => {
    const rec = join(dir, 'two-workers.ndjson');
    const r = await runCli(['run', 'scenarios/two-workers-123mi.yaml', '--host', 'local', '--record', rec, '--no-sweep']);
    const { header, events, warnings } = await readRecording(rec);
    seen.push(events);
    expect(r.code, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).toBe(0);
    expect(warnings).toEqual([]);

    expect(header.host.host).toBe('local');
    checkTwoWorkersRun(header, events);

    // the human output said so too
    expect(r.stdout).toContain('☠ OOM kill');
    expect(r.stdout).toContain('✓ big was OOM-killed');
    expect(r.stdout).toContain('✔ passed');

    // replay prints the same timeline from the file
    const rp = await runCli(['replay', rec]);
    expect(rp.code).toBe(0);
    expect(rp.stdout).toContain('✓ big was OOM-killed');
    expect(rp.stdout).toContain(`${events.length} events`);
    const rj = await runCli(['replay', rec, '--json']);
    expect(parseNdjson(rj.stdout)).toEqual([header, ...events]);
  });

  it('a failing expectation exits 1 and still cleans up', async () => {
    const file = join(dir, 'no-kill.yaml');
    writeFileSync(
      file,
      `id: no-kill
title: A worker that fits
limit: 32Mi
steps:
  - title: fits
    actions:
      - start: { workload: hog, stress: { vmBytes: 8M, vmKeep: true }, timeCap: 1m }
      - wait: { usage: { atLeast: 6M }, timeout: 20s }
    expect:
      - oomKilled: hog
      - usageWithinLimit: true
`,
    );
    const r = await runCli(['run', file, '--host', 'local', '--json', '--no-sweep']);
    const events = parseNdjson(r.stdout);
    seen.push(events);
    expect(r.code, r.stderr).toBe(1);
    const verdicts = events.filter((e): e is EventOf<'expectation'> => e.kind === 'expectation');
    expect(verdicts.map((v) => [v.text, v.passed])).toEqual([
      ['hog was OOM-killed', false],
      ['usage never above the limit', true],
    ]);
    expect(events[events.length - 1]).toMatchObject({ kind: 'run-end', outcome: 'failed' });
    expect(events.some((e) => e.kind === 'action' && e.text.startsWith('removed /sys/fs/cgroup/memory/oomlab/'))).toBe(true);
  });

  it('Ctrl-C mid-run cleans up and exits 130', async () => {
    const c = spawnCli(['run', 'two-workers-123mi', '--host', 'local', '--json', '--no-sweep']);
    await c.waitForEvent((e) => e.kind === 'workload-start' && e.workload === 'big', 60_000);
    c.child.kill('SIGINT');
    const r = await c.done;
    const events = parseNdjson(r.stdout);
    seen.push(events);
    expect(r.code, r.stderr).toBe(130);
    expect(events[events.length - 1]).toMatchObject({ kind: 'run-end', outcome: 'aborted', reason: 'interrupted' });
    expect(leftovers(events)).toEqual([]); // removed before exit, not later
  });

  it('after the runner is SIGKILLed, its workloads die and `oomlab cleanup` removes the cgroup', async () => {
    const rec = join(dir, 'killed.ndjson');
    const c = spawnCli(['run', 'two-workers-123mi', '--host', 'local', '--json', '--no-sweep', '--record', rec]);
    const start = (await c.waitForEvent((e) => e.kind === 'run-start', 60_000)) as EventOf<'run-start'>;
    await c.waitForEvent((e) => e.kind === 'workload-start' && e.workload === 'big', 60_000);
    await c.waitForEvent((e) => e.kind === 'sample' && e.usageBytes > 50 * 1024 * 1024, 60_000);
    // written incrementally: the start of the workload reaches the file within a second
    await until(() => existsSync(rec) && readFileSync(rec, 'utf8').includes('"workload-start"'), 1500, 'the recording to be flushed');
    c.child.kill('SIGKILL');
    await c.done;
    const events = parseNdjson(c.stdout().split('\n').filter((l) => l.endsWith('}')).join('\n'));
    seen.push(events);
    // the workloads' channels closed with the process: they end on their own
    await until(() => workloadPids(events).every((p) => !pidAlive(p)), 15_000, 'the workloads to die with their channel');
    expect(leftovers(events)).toEqual([start.target.path]);
    // the recording kept everything up to the kill
    const partial = await readRecording(rec);
    expect(partial.events.some((e) => e.kind === 'workload-start')).toBe(true);
    expect(partial.events.some((e) => e.kind === 'run-end')).toBe(false);

    const rp = await runCli(['replay', rec]);
    expect(rp.code, rp.stderr).toBe(0);
    expect(rp.stdout).toContain('the recording ends before the run did (no run-end event)');

    const r = await runCli(['cleanup', '--host', 'local']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(start.target.path!);
    expect(leftovers(events)).toEqual([]);
  });

  it('`oomlab scenarios` lists the bundled scenarios; a bad scenario file exits 7 naming file:line:column', async () => {
    const r = await runCli(['scenarios', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const list = parseNdjson(r.stdout) as unknown as Array<{ id: string; limitBytes: number; params: Record<string, string> }>;
    expect(list.find((s) => s.id === 'two-workers-123mi')).toMatchObject({ limitBytes: 128974848, params: { big: '100M', small: '50M' } });

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'id: bad\ntitle: B\nlimit: 16Mi\nsteps:\n  - title: s\n    actions:\n      - start: { workload: w, stress: { vmBytes: lots } }\n');
    const b = await runCli(['run', bad, '--host', 'local']);
    expect(b.code).toBe(7);
    expect(b.stderr).toContain(`${bad}:7:50: steps[0].actions[0].start.stress.vmBytes: expected a size`);
  });
});
