import { describe, expect, it } from 'vitest';
import { describeState, ownerText, unitOfPath } from '../../../electron/lab/kernel/kill-owner';
import { killsOfHostLog, parseSince } from '../../../electron/lab/kernel/host-log';

describe('unitOfPath', () => {
  it('names the innermost systemd unit of a cgroup path', () => {
    expect(unitOfPath('/system.slice/nginx.service')).toBe('nginx.service');
    expect(unitOfPath('/user.slice/user-1000.slice/user@1000.service/app.slice/run-r1234.scope')).toBe('run-r1234.scope');
    expect(unitOfPath('/kubepods/burstable/pod1234')).toBeNull();
    expect(unitOfPath(null)).toBeNull();
  });
});

describe('owner text', () => {
  it('says pod, container and unit in one line', () => {
    const state = describeState({ kind: 'terminated', reason: 'OOMKilled', message: null, exitCode: 137, signal: null, startedAt: null, finishedAt: '2026-12-02T15:00:00Z', containerID: null });
    expect(state).toBe('terminated OOMKilled (exit 137) at 2026-12-02T15:00:00Z');
    expect(ownerText({ container: null, pod: { uid: 'u', namespace: 'ns', name: 'p', container: 'c', restartCount: 1, lastState: state }, unit: null, unresolved: [] })).toBe(
      `pod ns/p, container c, 1 restart, last state ${state}`,
    );
    expect(ownerText({ container: null, pod: null, unit: 'nginx.service', unresolved: [] })).toBe('systemd unit nginx.service');
    expect(ownerText({ container: null, pod: null, unit: null, unresolved: ['x'] })).toBeNull();
  });
});

describe('host log', () => {
  it('parses --since durations', () => {
    expect(parseSince('90s')).toBe(90);
    expect(parseSince('10m')).toBe(600);
    expect(parseSince('2h')).toBe(7200);
    expect(parseSince('3d')).toBe(259200);
    expect(parseSince('2 hours')).toBeNull();
  });

  it('keeps the kills of the last --since and gives them wall time from the boot epoch', () => {
    const kill = (up: number, pid: number) =>
      `[${up.toFixed(6)}] Memory cgroup out of memory: Killed process ${pid} (stress) total-vm:105788kB, anon-rss:102400kB, file-rss:268kB, shmem-rss:0kB, UID:0 pgtables:244kB oom_score_adj:0`;
    const read = { source: 'dmesg' as const, sudo: false, bootEpochMs: Date.UTC(2026, 11, 2, 12, 0, 0), uptimeSec: 4000, text: [kill(100, 1), kill(3500, 2)].join('\n') };
    const all = killsOfHostLog(read, null);
    expect(all.map((r) => r.pid)).toEqual([1, 2]);
    expect(all[1]!.time.wall).toBe('2026-12-02T12:58:20.000Z');
    expect(killsOfHostLog(read, 600).map((r) => r.pid)).toEqual([2]);
  });
});
