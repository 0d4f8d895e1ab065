// Every fixture: the kills (pid, comm, memcg and whatever else the table states)
// read off the log by hand must be exactly what the parser and `oomlab kmsg
// --json` report, in log order.
import { describe, expect, it, vi } from 'vitest';
import { Command } from 'commander';
import { scanKernelLog } from '../../../electron/lab/kernel/kernel-log';
import type { OomIncompleteReport, OomKillReport } from '../../../electron/lab/kernel/report';
import { registerKmsg } from '../../../electron/cli/kmsg';
import { FIXTURES, FIXTURE_DIR, readFixture, type ExpectedIncomplete, type ExpectedKill } from './fixtures';

function project(actual: OomKillReport | OomIncompleteReport, expected: ExpectedKill): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(expected) as Array<keyof ExpectedKill>) {
    if (key === 'reaped') out.reaped = actual.reaped !== null;
    else if (key === 'uptimeSec') out.uptimeSec = actual.time.uptimeSec;
    else if (key === 'wall') out.wall = actual.time.wall;
    else if (key === 'truncated') out.truncated = actual.truncated ?? false;
    else out[key] = actual[key];
  }
  return out;
}

function projectIncomplete(actual: OomIncompleteReport, expected: ExpectedIncomplete): Record<string, unknown> {
  const out: Record<string, unknown> = { memcg: actual.memcg };
  if ('taskMemcg' in expected) out.taskMemcg = actual.taskMemcg;
  if ('invokerComm' in expected) out.invokerComm = actual.invoker?.comm ?? null;
  return out;
}

async function kmsgJson(file: string): Promise<Array<Record<string, unknown>>> {
  const program = new Command('oomlab').exitOverride();
  let code = -1;
  registerKmsg(program, (c) => (code = c));
  let out = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await program.parseAsync(['kmsg', '--json', file], { from: 'user' });
  } finally {
    spy.mockRestore();
  }
  expect(code).toBe(0);
  return JSON.parse(out) as Array<Record<string, unknown>>;
}

describe.each(FIXTURES)('$file', (fx) => {
  it('finds every kill, in order, as read by hand', () => {
    const { kills } = scanKernelLog(readFixture(fx.file));
    expect(kills.map((k, i) => project(k, fx.kills[i] ?? { pid: 0, comm: '', memcg: '' }))).toEqual(fx.kills);
  });

  it('reports OOMs whose victim is not in the log as incomplete', () => {
    const { incomplete } = scanKernelLog(readFixture(fx.file));
    const expected = fx.incomplete ?? [];
    expect(incomplete.map((r, i) => projectIncomplete(r, expected[i] ?? { memcg: '' }))).toEqual(expected);
  });

  it('oomlab kmsg --json prints pid, comm and memcg of each kill', async () => {
    const rows = (await kmsgJson(FIXTURE_DIR + fx.file)).filter((r) => r.kind === 'kill');
    expect(rows.map((r) => ({ pid: r.pid, comm: r.comm, memcg: r.memcg }))).toEqual(fx.kills.map((k) => ({ pid: k.pid, comm: k.comm, memcg: k.memcg })));
    for (const r of rows) {
      for (const key of ['taskMemcg', 'anonRssKb', 'oomScoreAdj', 'selectedPid', 'containerId', 'podUid', 'time']) expect(r).toHaveProperty(key);
    }
  });
});

describe('fixture corpus', () => {
  it('covers at least 20 public excerpts with kills or reports, plus the seeds and local captures', () => {
    const pub = FIXTURES.filter((f) => f.file.startsWith('pub-') && (f.kills.length > 0 || (f.incomplete ?? []).length > 0));
    expect(pub.length).toBeGreaterThanOrEqual(20);
    expect(FIXTURES.filter((f) => f.file.startsWith('seed-'))).toHaveLength(3);
    expect(FIXTURES.filter((f) => f.file.startsWith('local-')).length).toBeGreaterThanOrEqual(10);
  });
});
