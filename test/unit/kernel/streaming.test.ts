// The live follower's contract: a kill comes out of the very line that
// completes it; oom_reaper news arrives as an update with the same seq;
// a victim whose kill line never came is emitted when the report is closed.
import { describe, expect, it } from 'vitest';
import { OomReportParser, type OomParserEvent } from '../../../electron/lab/kernel/oom-parser';
import { readFixture } from './fixtures';

function lines(file: string): string[] {
  return readFixture(file).split('\n').filter((l) => l !== '');
}

/** Feeds line by line; returns [line index, event] pairs (index -1 = finish()). */
function stream(file: string): Array<[number, OomParserEvent]> {
  const p = new OomReportParser();
  const out: Array<[number, OomParserEvent]> = [];
  lines(file).forEach((l, i) => p.feed(l).forEach((e) => out.push([i, e])));
  p.finish().forEach((e) => out.push([-1, e]));
  return out;
}

describe('OomReportParser streaming', () => {
  it('emits the k3s kill on its "Killed process" line and the reaper as an update of the same report', () => {
    const all = lines('seed-001-k3s-pod-123mi.log');
    const killAt = all.findIndex((l) => l.includes('Killed process 32308'));
    const reapAt = all.findIndex((l) => l.includes('oom_reaper: reaped process 32308'));
    const events = stream('seed-001-k3s-pod-123mi.log');
    expect(events.map(([i, e]) => [i, e.type])).toEqual([
      [killAt, 'kill'],
      [reapAt, 'update'],
    ]);
    const [[, kill], [, update]] = events as [[number, OomParserEvent], [number, OomParserEvent]];
    if (kill.type !== 'kill' || update.type !== 'update') throw new Error('unexpected events');
    expect(update.seq).toBe(kill.seq);
    expect(update.change).toBe('reaped');
    expect(kill.report.reaped).toBeNull();
    expect(update.report.reaped).toEqual({ pid: 32308, comm: 'stress', anonRssKb: 0, fileRssKb: 0, shmemRssKb: 0 });
    expect(update.report.pid).toBe(32308);
  });

  it('emits each kill of a /dev/kmsg stream on its own record, not later', () => {
    const all = lines('local-6.18-two-workers.raw.log');
    const killLines = all.flatMap((l, i) => (l.includes('Killed process') ? [i] : []));
    const events = stream('local-6.18-two-workers.raw.log');
    expect(events.filter(([, e]) => e.type === 'kill').map(([i]) => i)).toEqual(killLines);
    expect(events.filter(([i]) => i === -1)).toEqual([]);
  });

  it('reads /dev/kmsg records, including their sequence-numbered prefix', () => {
    const events = stream('local-6.18-plain.kmsg.log');
    const kills = events.filter(([, e]) => e.type === 'kill');
    expect(kills).toHaveLength(1);
    expect(kills[0]?.[1].report.pid).toBe(20885);
    expect(kills[0]?.[1].report.time.uptimeSec).toBe(472.033124);
  });

  it('closes a report cut short: the pending victim at finish(), a victimless report as incomplete', () => {
    const ltp = stream('pub-ltp-1080-rhel7-memcg-kills.log');
    const last = ltp[ltp.length - 1];
    expect(last?.[0]).toBe(-1);
    expect(last?.[1].type).toBe('kill');
    expect(last?.[1].report.pid).toBe(42469);
    expect(last?.[1].report.truncated).toBe(true);

    const k8s = stream('pub-kubernetes-56891-rhel7-dmesg-T.log');
    expect(k8s.map(([i, e]) => [i, e.type, e.report.pid])).toEqual([
      [4, 'kill', 28438],
      [-1, 'incomplete', null],
    ]);
  });

  it('a new report header closes the previous report', () => {
    // The reportportal excerpt: kill + reaper, then a new header; feeding one more header closes it.
    const p = new OomReportParser();
    for (const l of lines('pub-reportportal-203-5.4-memcg.log')) p.feed(l);
    const next = p.feed(lines('pub-reportportal-203-5.4-memcg.log')[2] ?? '');
    expect(next.map((e) => e.type)).toEqual(['incomplete']);
  });

  it('push() and end() return kills only; the parser keeps working after finish()', () => {
    const p = new OomReportParser();
    const got: number[] = [];
    for (const l of lines('pub-docker-for-linux-1001-global-resolved.log')) got.push(...p.push(l).map((k) => k.pid));
    expect(got).toEqual([15784, 15925, 15783, 15934]);
    expect(p.end()).toEqual([]);
    for (const l of lines('pub-npd-oom-kill.log')) got.push(...p.push(l).map((k) => k.pid));
    expect(got.slice(4)).toEqual([1012]);
  });

  it('hands out copies: changing an emitted report does not change later updates', () => {
    const p = new OomReportParser();
    const events: OomParserEvent[] = [];
    for (const l of lines('seed-001-k3s-pod-123mi.log')) events.push(...p.feed(l));
    const kill = events.find((e) => e.type === 'kill');
    const update = events.find((e) => e.type === 'update');
    expect(kill && update).toBeTruthy();
    expect(kill?.report).not.toBe(update?.report);
    expect(kill?.report.lines.length).toBeLessThan(update?.report.lines.length ?? 0);
  });

  it('takes a whole pasted log as one line', () => {
    const p = new OomReportParser();
    const events = [...p.feed(readFixture('seed-000-docker-memcg-oneline.log').trim()), ...p.finish()];
    expect(events.map((e) => [e.type, e.report.pid, e.report.comm])).toEqual([['kill', 11002, 'mem_alloc']]);
  });
});

describe('memory.oom.group (cgroup v2, lab VM)', () => {
  it('emits the victim at once, marks it a group kill when the notice comes, then each member on its line', () => {
    const all = lines('labvm-6.1-oom-group.raw.log');
    const at = (needle: string) => all.findIndex((l) => l.includes(needle));
    const events = stream('labvm-6.1-oom-group.raw.log');
    expect(events.map(([i, e]) => [i, e.type, e.report.pid, e.report.groupKill])).toEqual([
      [at('Killed process 400'), 'kill', 400, false],
      [at('going to be killed due to memory.oom.group'), 'update', 400, true],
      [at('Killed process 399'), 'kill', 399, true],
      [at('Killed process 401'), 'kill', 401, true],
    ]);
    const update = events[1]?.[1];
    expect(update?.type === 'update' && update.change).toBe('group-kill');
  });
});
