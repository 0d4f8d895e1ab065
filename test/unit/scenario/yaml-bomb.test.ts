// A hostile or broken YAML file is a scenario problem with file:line:column
// like any other, and one such file in a folder never hides the others.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../electron/app/engine';
import { BUNDLED_SCENARIO_DIR as SCENARIO_DIR } from '../../../electron/lab/session/scenario-library';
import { loadScenario, parseScenario, ScenarioError } from '../../../electron/lab/scenario/load';

// "Billion laughs": each level repeats the one before nine times.
const BOMB = [
  'id: bomb',
  'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
  'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]',
  'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]',
  'e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]',
  '',
].join('\n');

function problemOf(f: () => unknown): ScenarioError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('no error');
}

describe('YAML that yaml refuses to build', () => {
  it('an alias bomb is a ScenarioError at the alias that expands too far', () => {
    const e = problemOf(() => parseScenario(BOMB, 'bomb.yaml'));
    expect(e.message).toMatch(/^bomb\.yaml:[4-6]:\d+: YAML: alias \*[bcd]: Excessive alias count/);
    expect(e.problems).toHaveLength(1);
  });

  it('an alias without its anchor is a ScenarioError at that alias', () => {
    const e = problemOf(() => parseScenario('id: x\nlimit: *nowhere\n', 'u.yaml'));
    expect(e.message).toBe('u.yaml:2:8: YAML: alias *nowhere: Unresolved alias (the anchor must be set before the alias): nowhere');
  });

  it('a syntax error still names its line', () => {
    expect(problemOf(() => parseScenario('id: x\nsteps: [\n', 's.yaml')).message).toMatch(/^s\.yaml:\d+:\d+: YAML: /);
  });
});

describe('a scenario folder with a bad file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomlab-scenarios-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = readFileSync(join(SCENARIO_DIR, 'two-workers-123mi.yaml'), 'utf8').replace(/^id: two-workers-123mi$/m, 'id: my-own-two-workers');
  writeFileSync(join(dir, 'a-bomb.yaml'), BOMB);
  writeFileSync(join(dir, 'b-good.yaml'), good);

  it('loadScenario reports the bomb as a ScenarioError with file:line', async () => {
    await expect(loadScenario(join(dir, 'a-bomb.yaml'))).rejects.toThrow(/a-bomb\.yaml:[4-6]:\d+: YAML: alias/);
  });

  it('lists the good scenario and reports the bad file with file:line', async () => {
    const list = await createEngine({ appVersion: 't', scenarioDirs: [SCENARIO_DIR, dir] }).listScenarios();
    const user = list.filter((s) => s.source === 'user');
    expect(user.map((s) => s.id).sort()).toEqual(['a-bomb', 'my-own-two-workers']);
    expect(user.find((s) => s.id === 'my-own-two-workers')!.invalid).toBeNull();
    expect(user.find((s) => s.id === 'a-bomb')!.invalid).toMatch(/a-bomb\.yaml:[4-6]:\d+: YAML: alias \*[bcd]: Excessive alias count/);
    expect(list.some((s) => s.source === 'bundled' && s.id === 'two-workers-123mi')).toBe(true);
  });
});
