// The kernel-log shapes of issue 15 item 4, one test each. Lines are real:
// fixtures (sources in test/fixtures/kmsg/SOURCES.md) or the public lines
// named in each test; where a shape needed them reordered or re-prefixed, the
// test says so.
import { describe, expect, it } from 'vitest';
import { scanKernelLog } from '../../../electron/lab/kernel/kernel-log';
import { readFixture } from './fixtures';

// ColinIanKing/stress-ng#177 (kernel 5.x, journal order there: summary, then kill line).
const SUMMARY =
  '[44178.537749] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/user.slice/user-1000.slice/session-1.scope,task=stress-ng,pid=1811,uid=1000';
const KILLED = '[44178.537897] Out of memory: Killed process 1811 (stress-ng) total-vm:43240kB, anon-rss:0kB, file-rss:64kB, shmem-rss:0kB, UID:1000 pgtables:104kB oom_score_adj:1000';

describe('kernel-log shapes', () => {
  it('a selection line that no "Killed process" line follows is a selection, not a kill', () => {
    const s = scanKernelLog(readFixture('pub-unixse-282155-selection-only.log'));
    expect(s.kills).toEqual([]);
    expect(s.incomplete).toHaveLength(1);
    expect(s.incomplete[0]).toMatchObject({ pid: null, selectedPid: 7429, selectedScore: 259, global: true });
  });

  it('a selection followed by a "Killed process" line cut before its pid is still a kill', () => {
    const kills = scanKernelLog(readFixture('pub-ltp-1080-rhel7-memcg-kills.log')).kills;
    expect(kills.at(-1)).toMatchObject({ pid: 42469, truncated: true, seenIn: 'kill-line' });
  });

  it('a "Killed process" line stored before its oom-kill summary (journald) is one kill, with the summary\'s cgroup', () => {
    // The two stress-ng#177 lines in the order journald sometimes stores them.
    const s = scanKernelLog(`${KILLED}\n${SUMMARY}\n`);
    expect(s.reports).toHaveLength(1);
    expect(s.kills[0]).toMatchObject({ pid: 1811, comm: 'stress-ng', global: true, taskMemcg: '/user.slice/user-1000.slice/session-1.scope', constraint: 'CONSTRAINT_NONE', truncated: false });
  });

  it.each(['ru_RU', 'fr_FR', 'zh_CN'])('timestamps in the %s locale (dmesg -T) are prefixes: the report keeps its cgroup and wall time', (loc) => {
    const [kill] = scanKernelLog(readFixture(`local-6.18-ctime-${loc}.log`)).kills;
    expect(kill).toMatchObject({ pid: 6128, memcg: '/oomlab/oomlab-test-wl-980c4a', global: false, headerMissing: false });
    expect(kill?.time.wall).toBe('2026-12-02T15:12:34');
  });

  it('a kill line without "Memory cgroup" after a localised syslog prefix is a global OOM, header and summary rate-limited away', () => {
    // docker/for-linux#1001's global kill line, behind a journald short prefix in the ru_RU and zh_CN locales.
    const line = 'Out of memory: Killed process 401 (systemd-journal) total-vm:32724kB, anon-rss:1112kB, file-rss:8888kB, shmem-rss:4kB';
    for (const prefix of ['мая 15 23:09:30 ubuntu-s-1vcpu-2gb-ams3-01 kernel: ', '5月 15 23:09:30 ubuntu-s-1vcpu-2gb-ams3-01 kernel: ']) {
      const [kill] = scanKernelLog(prefix + line).kills;
      expect(kill).toMatchObject({ pid: 401, global: true, memcg: 'global', scope: 'global', headerMissing: true });
    }
  });

  it('an oom_reaper line with no "Killed process" line (vendor kernels) is a kill, seen in the reaper line', () => {
    // docker/for-linux#1001's reaper line alone.
    const [kill] = scanKernelLog('May 15 23:01:53 ubuntu-s-1vcpu-2gb-ams3-01 kernel: [  152.802656] oom_reaper: reaped process 4254 (python3), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB').kills;
    expect(kill).toMatchObject({ pid: 4254, comm: 'python3', seenIn: 'oom_reaper' });
  });

  it('an oom-kill summary with no kill line is a kill, seen in the summary', () => {
    for (const file of ['pub-gpud-70-summary-lxc-kubepods.log', 'pub-cadvisor-summary-line.log']) {
      const s = scanKernelLog(readFixture(file));
      expect(s.kills.map((k) => k.seenIn)).toEqual(['summary']);
    }
  });
});
