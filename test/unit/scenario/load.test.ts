import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, type ScenarioProblem } from '../../../electron/lab/scenario/load';
import { bundledScenarios, bundledLibrary } from '../../../electron/lab/session/scenario-library';

function problems(text: string, overrides: Record<string, string> = {}): ScenarioProblem[] {
  try {
    parseScenario(text, 'x.yaml', overrides);
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  throw new Error('expected the scenario to be rejected');
}

const minimal = `id: tiny
title: Tiny
limit: 16Mi
steps:
  - title: one
    actions:
      - start: { workload: hog, stress: { vmBytes: 32M, vmKeep: true } }
      - wait: { oomKill: hog, timeout: 20s }
    expect:
      - oomKilled: hog
`;

describe('parseScenario', () => {
  it('turns sizes into bytes and durations into ms, with defaults', () => {
    const { scenario: s } = parseScenario(minimal, 'x.yaml');
    expect(s.limit).toBe(16 * 1024 * 1024);
    expect(s.swap).toBe('pinned');
    expect(s.target).toEqual({ kind: 'cgroup' });
    expect(s.title).toEqual({ en: 'Tiny' });
    expect(s.steps[0]!.actions[0]).toEqual({ start: { workload: 'hog', stress: { vm: 1, vmBytes: 33554432, vmKeep: true } } });
    expect(s.steps[0]!.actions[1]).toEqual({ wait: { oomKill: 'hog', timeout: 20_000 } });
  });

  it('substitutes params, with overrides, also inside narration', () => {
    const text = `id: p
title: P
limit: \${limit}
params:
  limit: { type: size, default: 64Mi }
  n: { type: integer, default: 2 }
steps:
  - title: s
    narration: { en: "limit is \${limit}" }
    actions:
      - start: { workload: w, stress: { vm: "\${n}", vmBytes: 1M } }
`;
    const a = parseScenario(text, 'p.yaml');
    expect(a.scenario.limit).toBe(64 * 1024 * 1024);
    expect(a.params).toEqual({ limit: '64Mi', n: 2 });
    const b = parseScenario(text, 'p.yaml', { limit: '100M', n: '3' });
    expect(b.scenario.limit).toBe(100 * 1024 * 1024);
    expect(b.scenario.steps[0]!.narration).toEqual({ en: 'limit is 100M' });
    expect(b.scenario.steps[0]!.actions[0]).toMatchObject({ start: { stress: { vm: 3 } } });
  });

  it('names file:line:column and the field for schema errors', () => {
    const text = `id: Bad_Id
title: x
limit: 12Qi
steps:
  - title: s
    actions:
      - start:
          workload: w
          stress: { vm: 1, vmBytes: lots }
      - wait: { usage: { atLeast: 1M }, exited: w }
      - wat: 3
      - start: { workload: v }
    expect:
      - failcnt: { over: 1 }
`;
    let err: ScenarioError | null = null;
    try {
      parseScenario(text, 'bad.yaml');
    } catch (e) {
      err = e as ScenarioError;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    const lines = err!.message.split('\n');
    expect(lines).toContain('bad.yaml:1:5: id: an id is lowercase letters, digits and "-"');
    expect(lines).toContain('bad.yaml:3:8: limit: expected a size such as 123Mi, 100M or 4096 (K/M/G are 1024-based), or "max"');
    expect(lines).toContain('bad.yaml:9:37: steps[0].actions[0].start.stress.vmBytes: expected a size such as 123Mi, 100M or 4096 (K/M/G are 1024-based)');
    expect(lines.find((l) => l.startsWith('bad.yaml:10:15: steps[0].actions[1].wait: a wait needs exactly one condition'))).toBeDefined();
    expect(lines).toContain('bad.yaml:11:9: steps[0].actions[2]: expected exactly one of: create, start, wait, set, stop, read, inspect, trace (unknown: wat)');
    expect(lines).toContain('bad.yaml:12:16: steps[0].actions[3].start: expected exactly one of: stress, stress-ng, ramp, cache-writer');
    expect(lines).toContain('bad.yaml:14:20: steps[0].expect[0].failcnt: unknown field "over"');
  });

  it('reports a missing field at the object that lacks it', () => {
    const p = problems('id: a\ntitle: A\nsteps:\n  - title: s\n');
    expect(p).toEqual([{ line: 1, column: 1, field: '', message: 'missing field "limit"' }]);
  });

  it('reports YAML syntax errors with their position', () => {
    const p = problems('id: a\ntitle: [unclosed\nlimit: 1M\n');
    expect(p).toHaveLength(1);
    expect(p[0]!.message).toMatch(/^YAML: /);
    expect(p[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it('rejects a duplicate key', () => {
    const p = problems('id: a\nid: b\ntitle: A\nlimit: 1M\nsteps: []\n');
    expect(p[0]).toMatchObject({ line: 2, message: expect.stringMatching(/YAML: .*unique/i) });
  });

  it('checks references between steps', () => {
    const text = `id: r
title: R
limit: 16Mi
steps:
  - title: s
    actions:
      - stop: ghost
      - start: { workload: w, stress: { vmBytes: 1M } }
      - start: { workload: w, stress: { vmBytes: 1M } }
      - create: {}
    expect:
      - oomKilled: nobody
`;
    expect(problems(text)).toEqual([
      { line: 7, column: 15, field: 'steps[0].actions[0].stop', message: 'workload "ghost" is not started by this or an earlier step' },
      { line: 9, column: 28, field: 'steps[0].actions[2].start.workload', message: 'workload "w" is already started earlier' },
      { line: 10, column: 9, field: 'steps[0].actions[3]', message: 'the target must be created before any workload starts' },
      { line: 12, column: 20, field: 'steps[0].expect[0].oomKilled', message: 'workload "nobody" is not started by this or an earlier step' },
    ]);
  });

  it('names unknown params, bad overrides and unknown overrides', () => {
    const text = 'id: a\ntitle: A\nlimit: ${lim}\nparams:\n  lim: { type: size, default: 10M }\nsteps:\n  - title: "${nope}"\n';
    expect(problems(text)).toEqual([{ line: 7, column: 12, field: 'steps[0].title', message: 'unknown parameter ${nope} (declared: lim)' }]);
    const ok = text.replace('${nope}', 's');
    expect(problems(ok, { lim: 'abc' })).toEqual([{ line: 5, column: 8, field: 'params.lim', message: '--param lim=abc: not a valid size' }]);
    expect(problems(ok, { zz: '1' })).toEqual([{ line: 5, column: 3, field: 'params', message: '--param zz: this scenario has no such parameter (it has: lim)' }]);
  });
});

describe('durations a timer cannot hold', () => {
  const TOO_LONG = "is longer than the lab's timers can hold (at most 596 h = 2147483647 ms)";

  it('are refused with file:line:column and the field, wherever they are written', () => {
    const text = `id: d
title: D
limit: 16Mi
tail: 1000h
steps:
  - title: one
    actions:
      - start: { workload: hog, stress: { vmBytes: 4M }, timeCap: 600h }
      - wait: { for: 1000h }
      - wait: { exited: hog, timeout: 597h }
`;
    expect(problems(text)).toEqual([
      { line: 4, column: 7, field: 'tail', message: `"1000h" ${TOO_LONG}` },
      { line: 8, column: 67, field: 'steps[0].actions[0].start.timeCap', message: `"600h" ${TOO_LONG}` },
      { line: 9, column: 22, field: 'steps[0].actions[1].wait.for', message: `"1000h" ${TOO_LONG}` },
      { line: 10, column: 39, field: 'steps[0].actions[2].wait.timeout', message: `"597h" ${TOO_LONG}` },
    ]);
    expect(() => parseScenario(text.replace(/1000h|600h|597h/g, '596h'), 'x.yaml')).not.toThrow();
  });

  it('given through --param, are refused where the parameter is used', () => {
    const text = 'id: a\ntitle: A\nlimit: 16Mi\nparams:\n  hold: { type: duration, default: 1s }\nsteps:\n  - title: s\n    actions:\n      - wait: { for: "${hold}" }\n';
    expect(problems(text, { hold: '1000h' })).toEqual([{ line: 9, column: 22, field: 'steps[0].actions[0].wait.for', message: `"1000h" ${TOO_LONG}` }]);
  });
});

describe('bundled scenarios', () => {
  it('all load, and are found by id', async () => {
    const all = await bundledScenarios();
    expect(all.map((s) => s.scenario.id)).toContain('two-workers-123mi');
    for (const s of all) {
      expect(s.file.endsWith(`${s.scenario.id}.yaml`), `${s.file} is named after its id`).toBe(true);
      for (const step of s.scenario.steps) {
        expect(step.title['zh-CN'], `${s.scenario.id}: step "${step.title.en}" has a zh-CN title`).toBeTruthy();
        expect(step.narration?.['zh-CN'], `${s.scenario.id}: step "${step.title.en}" has zh-CN narration`).toBeTruthy();
      }
    }
    const byId = await bundledLibrary.resolve('two-workers-123mi', { big: '90M' });
    expect(byId.params.big).toBe('90M');
    expect(byId.scenario.limit).toBe(128974848);
  });

  it('an unknown id lists the bundled ones', async () => {
    await expect(bundledLibrary.resolve('no-such-thing')).rejects.toThrow(/no bundled scenario has this id \(bundled: .*two-workers-123mi/);
  });
});
