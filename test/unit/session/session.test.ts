// The rules the CLI and the desktop share (electron/lab/session/).
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostFacts } from '../../../electron/lab/host/facts';
import { hostProblem, HostProblemError } from '../../../electron/lab/session/host-problem';
import { newRunId } from '../../../electron/lab/session/run-id';
import { RunRecorder } from '../../../electron/lab/session/run-recorder';
import { BUNDLED_SCENARIO_DIR, ScenarioLibrary } from '../../../electron/lab/session/scenario-library';
import { checkRunId } from '../../../electron/lab/targets/names';
import { ScenarioError } from '../../../electron/lab/scenario/load';

const dir = mkdtempSync(join(tmpdir(), 'oomlab-session-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fit = { host: 'u@h:22', memoryController: true, canCreateCgroup: true, kernelLog: ['/dev/kmsg'], problems: [] } as unknown as HostFacts;

describe('hostProblem', () => {
  it('one code per rule, in the order a user fixes them, each naming the host with a next step', () => {
    expect(hostProblem(fit)).toBeNull();
    const cases: Array<[Partial<HostFacts>, string]> = [
      [{ memoryController: false, canCreateCgroup: false }, 'no-memory-controller'],
      [{ canCreateCgroup: false, problems: ['not root and `sudo -n` is refused'] }, 'no-cgroup-permission'],
      [{ kernelLog: [] }, 'no-kernel-log'],
    ];
    for (const [facts, code] of cases) {
      const p = hostProblem({ ...fit, ...facts })!;
      expect(p).toBeInstanceOf(HostProblemError);
      expect(p).toMatchObject({ problem: code, kind: 'host', host: 'u@h:22' });
      expect(p.message.startsWith('u@h:22: ')).toBe(true);
      expect(p.hint).toBeTruthy();
    }
    expect(hostProblem({ ...fit, canCreateCgroup: false, problems: ['not root and `sudo -n` is refused'] })!.message).toContain('sudo -n` is refused');
  });
});

describe('newRunId', () => {
  it('sorts by start time and is valid for cgroup, container and pod names', () => {
    const a = newRunId(new Date('2026-12-02T13:52:26Z'));
    expect(a).toMatch(/^20261202-135226-[0-9a-f]{6}$/);
    expect(checkRunId(a)).toBe(a);
    expect(`oomlab-${a}`).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/); // a DNS-1123 label (pod names)
    expect(newRunId(new Date('2026-12-02T13:52:27Z')) > a).toBe(true);
    expect(new Set(Array.from({ length: 50 }, () => newRunId())).size).toBe(50);
  });
});

describe('ScenarioLibrary', () => {
  const user = join(dir, 'user');
  mkdirSync(user);
  // Same id as a bundled one (the bundled wins), a broken one (listed with its error), and one of the user's own.
  copyFileSync(join(BUNDLED_SCENARIO_DIR, 'two-workers-123mi.yaml'), join(user, 'two-workers-123mi.yaml'));
  writeFileSync(join(user, 'broken.yaml'), 'id: broken\ntitle: Broken\nlimit: lots\nsteps: []\n');
  const mine = readFileSync(join(BUNDLED_SCENARIO_DIR, 'two-workers-123mi.yaml'), 'utf8').replace(/^id: .*$/m, 'id: my-own');
  writeFileSync(join(user, 'mine.yaml'), mine);
  const lib = new ScenarioLibrary([
    { dir: BUNDLED_SCENARIO_DIR, source: 'bundled' },
    { dir: user, source: 'user' },
    { dir: join(dir, 'missing'), source: 'user' },
  ]);

  it('lists every file once per id, bundled first, broken ones with their error', async () => {
    const all = await lib.list();
    const twice = all.filter((e) => e.id === 'two-workers-123mi');
    expect(twice).toHaveLength(1);
    expect(twice[0]!.source).toBe('bundled');
    const broken = all.find((e) => e.file.endsWith('broken.yaml'))!;
    expect(broken).toMatchObject({ source: 'user', loaded: null });
    expect(broken.error).toBeInstanceOf(ScenarioError);
    expect(all.find((e) => e.id === 'my-own')).toMatchObject({ source: 'user' });
  });

  it('finds by id in any folder, with overrides; an unknown id is a scenario error listing the known ones', async () => {
    expect((await lib.byId('my-own')).file).toBe(join(user, 'mine.yaml'));
    expect((await lib.byId('two-workers-123mi', { big: '90M' })).params.big).toBe('90M');
    await expect(lib.byId('nope')).rejects.toThrow(/no known scenario has this id \(known: .*my-own/);
  });

  it('resolve takes a path or an id', async () => {
    expect((await lib.resolve(join(user, 'mine.yaml'))).scenario.id).toBe('my-own');
    expect((await lib.resolve('my-own')).scenario.id).toBe('my-own');
  });
});

describe('RunRecorder', () => {
  it('opens the file at run-start, with the header from it, and records from there', async () => {
    const path = join(dir, 'rec.ndjson');
    const r = new RunRecorder(path);
    r.write({ kind: 'warning', t: 0, message: 'before the run' } as never);
    const start = { kind: 'run-start', t: 0, runId: 'r1', appVersion: 't', startedAt: '2026-12-02T00:00:00Z', scenario: { id: 's', title: { en: 'S' } }, host: { host: 'local' }, target: { kind: 'cgroup-v1', path: '/x', limitBytes: 1, swapPinned: true } };
    r.write(start as never);
    r.write({ kind: 'warning', t: 1, message: 'during' } as never);
    await r.end();
    const lines = readFileSync(path, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { kind?: string; format?: string; runId?: string });
    expect(lines[0]).toMatchObject({ format: 'oomlab-recording', runId: 'r1' });
    expect(lines.slice(1).map((l) => l.kind)).toEqual(['run-start', 'warning']);
  });
});
