// Schema additions the scenario library needs: host requirements (scenario
// and step), the sampling tail, stress's vmStride, and the read / inspect /
// trace actions with the evidence expectations, including cross-references.

import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../../electron/lab/scenario/load';
import { toWorkloadSpec, describeSpec } from '../../../electron/lab/scenario/start-action';
import { buildWorkload } from '../../../electron/lab/workloads/commands';

const base = `id: t
title: T
limit: 64Mi
`;

function problems(text: string): string[] {
  try {
    parseScenario(text, 'x.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e.message.split('\n');
    throw e;
  }
  return [];
}

describe('requirements, tail, new actions', () => {
  it('parses requires at both levels, tail, and the new actions', () => {
    const { scenario: s } = parseScenario(
      `${base}requires: { cgroup: v2 }
tail: 2s
steps:
  - title: a
    requires: { lowerOomScoreAdj: true }
    actions:
      - read: overcommit
      - start: { workload: r, stress: { vmBytes: 512M, vmStride: 512M, vmHang: 0, vmKeep: true } }
      - inspect: r
      - wait: { oomKill: any }
      - trace: lastKill
    expect:
      - memoryOf: { workload: r, virtual: { atLeast: 512M }, resident: { atMost: 10% } }
      - victim: { workload: r, rss: { atLeast: 90% }, mainProcess: false }
      - seen: { usage: { atLeast: limit }, underOom: true }
      - afterKill: { usage: { below: 5% } }
      - traced: { workload: r, command: "^stress " }
      - running: r
      - stopped: r
      - kernelLog: "oom-kill"
`,
      'x.yaml',
    );
    expect(s.requires).toEqual({ cgroup: 'v2' });
    expect(s.tail).toBe(2000);
    expect(s.steps[0]!.requires).toEqual({ lowerOomScoreAdj: true });
    expect(s.steps[0]!.actions.map((a) => Object.keys(a)[0])).toEqual(['read', 'start', 'inspect', 'wait', 'trace']);
    const start = s.steps[0]!.actions[1]!;
    if (!('start' in start)) throw new Error('not a start');
    const spec = toWorkloadSpec(start.start);
    expect(spec).toMatchObject({ kind: 'stress', vmBytes: 536870912, vmStride: 536870912, vmHang: 0 });
    expect(buildWorkload(spec, { rampImpl: 'perl', scratchDir: '/var/tmp/x', workload: 'r' }).argv).toEqual(['stress', '--vm', '1', '--vm-bytes', '536870912B', '--vm-keep', '--vm-hang', '0', '--vm-stride', '536870912']);
    expect(describeSpec(spec)).toContain('--vm-stride 536870912');
  });

  it('names the place of bad requirements and bad evidence', () => {
    const out = problems(`${base}requires: { cgroup: v3 }
steps:
  - title: a
    actions:
      - inspect: ghost
    expect:
      - victim: { workload: ghost }
      - running: ghost
      - seen: {}
      - afterKill: { usage: { below: "5 %" } }
`);
    expect(out).toContain('x.yaml:4:21: requires.cgroup: Invalid option: expected one of "v1"|"v2"');
    expect(out).toContain('x.yaml:10:17: steps[0].expect[0].victim: give at least one of oomScoreAdj, rss, largestRss, highestBadness, mainProcess');
    expect(out.find((l) => l.startsWith('x.yaml:12:15: steps[0].expect[2].seen: give at least one of usage'))).toBeDefined();
    expect(out).toContain('x.yaml:13:38: steps[0].expect[3].afterKill.usage.below: expected a size such as 123Mi, 100M or 4096 (K/M/G are 1024-based), "limit", or a share of the limit such as "90%"');
  });

  it('checks that inspected and expected workloads are started', () => {
    const out = problems(`${base}steps:
  - title: a
    actions:
      - inspect: ghost
    expect:
      - running: ghost
      - stopped: ghost
      - memoryOf: { workload: ghost, virtual: { atLeast: 1M } }
      - traced: { workload: ghost }
      - victim: { workload: ghost, mainProcess: true }
`);
    expect(out.filter((l) => l.includes('workload "ghost" is not started by this or an earlier step')).map((l) => l.split(': ')[1])).toEqual([
      'steps[0].actions[0].inspect',
      'steps[0].expect[0].running',
      'steps[0].expect[1].stopped',
      'steps[0].expect[2].memoryOf.workload',
      'steps[0].expect[3].traced.workload',
      'steps[0].expect[4].victim.workload',
    ]);
  });
});
