// Line prefixes as real readers print them (lines taken from the fixtures).
import { describe, expect, it } from 'vitest';
import { splitGluedLine, stripPrefix } from '../../../electron/lab/kernel/prefix';
import { normalizeKernelLog } from '../../../electron/lab/kernel/kernel-log';
import { readFixture } from './fixtures';

const KILL = 'Memory cgroup out of memory: Killed process 20885 (stress) total-vm:68924kB, anon-rss:32384kB, file-rss:268kB, shmem-rss:0kB, UID:0 pgtables:104kB oom_score_adj:0';

function lineOf(file: string, needle: string): string {
  const l = readFixture(file)
    .split('\n')
    .find((x) => x.includes(needle));
  if (!l) throw new Error(`${file}: no line with ${needle}`);
  return l;
}

describe('stripPrefix', () => {
  it.each([
    ['local-6.18-plain.raw.log', { uptimeSec: 472.033124, wall: null, level: null }],
    ['local-6.18-plain.ctime.log', { uptimeSec: null, wall: '2026-11-23T14:50:08', level: null }],
    ['local-6.18-plain.iso.log', { uptimeSec: null, wall: '2026-11-23T14:50:08.033124+00:00', level: null }],
    ['local-6.18-plain.level.log', { uptimeSec: 472.033124, wall: null, level: 3 }],
    ['local-6.18-plain.decode.log', { uptimeSec: 472.033124, wall: null, level: 3 }],
    ['local-6.18-plain.kmsg.log', { uptimeSec: 472.033124, wall: null, level: 3 }],
  ])('%s: the same kill line, the time the reader printed', (file, time) => {
    const s = stripPrefix(lineOf(file, 'Killed process 20885'));
    expect(s.text).toBe(KILL);
    expect({ uptimeSec: s.prefix.uptimeSec, wall: s.prefix.wall, level: s.prefix.level }).toEqual(time);
  });

  it('syslog with host and kernel uptime, syslog without host, journal with a quoted "> "', () => {
    const a = stripPrefix(lineOf('pub-docker-for-linux-1001-global-resolved.log', 'Killed process 15925'));
    expect(a.text.startsWith('Out of memory: Killed process 15925 ((resolved))')).toBe(true);
    expect(a.prefix).toMatchObject({ uptimeSec: 518.061172, wall: 'May 15 23:09:30', host: 'ubuntu-s-1vcpu-2gb-ams3-01', tag: 'kernel' });
    const b = stripPrefix(lineOf('pub-programmerah-rhel6-syslog-nohost.log', 'Killed process'));
    expect(b.text.startsWith('Killed process 3080, UID 0, (forward)')).toBe(true);
    expect(b.prefix).toMatchObject({ wall: 'Aug 11 16:28:11', host: null, tag: 'kernel' });
    const c = stripPrefix(lineOf('pub-gpud-70-summary-lxc-kubepods.log', 'oom-kill:'));
    expect(c.text.startsWith('oom-kill:constraint=CONSTRAINT_MEMCG')).toBe(true);
    expect(c.prefix.wall).toBe('Aug 30 06:58:55.050705');
  });

  it('keeps other programs apart by their syslog tag', () => {
    const s = stripPrefix(lineOf('pub-doris-3525-sacrificed-child.log', 'containerd: time='));
    expect(s.prefix.tag).toBe('containerd');
  });

  it('finds the kernel line inside a hypervisor log and a line whose "[" was lost', () => {
    const v = stripPrefix(lineOf('pub-photon-1535-vmware-guest-prefix.log', 'RIP: 0033'));
    expect(v.text).toBe('RIP: 0033:0xd709d1');
    expect(v.prefix).toMatchObject({ uptimeSec: 39282370.416011, wall: '2023-12-04T10:49:30.119Z', level: 4 });
    const k = stripPrefix(lineOf('pub-kubedirector-356-wrapped.log', '5193605.506728]'));
    expect(k.text.startsWith('Task in /kubepods/pod951f6bc5')).toBe(true);
    expect(k.prefix.uptimeSec).toBe(5193605.506728);
  });

  it('dmesg -T with an unpadded day, markdown fences, "kernel:" alone', () => {
    expect(stripPrefix(lineOf('pub-alibabacloud-doc-task-in.log', 'Task in /mm_test/2')).prefix.wall).toBe('2021-09-10T16:15:14');
    const f = stripPrefix(lineOf('pub-py-autovod-7-global-commas.log', 'Killed process'));
    expect(f.text.endsWith('oom_score_adj:0')).toBe(true);
    expect(stripPrefix(lineOf('pub-runc-1980-kernel-tag-4.4-cut.log', 'invoked')).text.startsWith('runc:[2:INIT] invoked oom-killer')).toBe(true);
  });

  it('leaves task-table rows and unprefixed lines alone', () => {
    expect(stripPrefix('[13536] 275858 13536  8389663      343   16267  8324326             0 memorymonster').text).toBe(
      '[13536] 275858 13536  8389663      343   16267  8324326             0 memorymonster',
    );
    expect(stripPrefix('Killed process 1012 (heapster) total-vm:327128kB').hadPrefix).toBe(false);
  });
});

describe('splitGluedLine / normalizeKernelLog', () => {
  it('splits the journal pasted as one line into its six lines', () => {
    const parts = splitGluedLine(readFixture('seed-000-docker-memcg-oneline.log').trim());
    expect(parts.map((p) => stripPrefix(p).text.slice(0, 20))).toEqual([
      '$ journalctl -k',
      'Memory cgroup stats ',
      '[ pid ]   uid  tgid ',
      '[11002]     0 11002 ',
      'Memory cgroup out of',
      'Killed process 11002',
    ]);
  });

  it('keeps a chain of prefixes together and does not split at ISO times inside other messages', () => {
    expect(splitGluedLine(lineOf('pub-docker-for-linux-1001-global-resolved.log', 'Killed process 15784'))).toHaveLength(1);
    expect(splitGluedLine(lineOf('pub-doris-3525-sacrificed-child.log', 'shim reaped'))).toHaveLength(1);
  });

  it('joins lines a web page wrapped back together', () => {
    const log = normalizeKernelLog(readFixture('pub-kubedirector-356-wrapped.log'));
    expect(log[0]?.text).toBe(
      'Task in /kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9 killed as a result of limit of /kubepods/pod951f6bc5-c5a5-11ea-8707-80e455f266a2/024952d653ef1cd852f875a61bd27cf45cb1fd6cab3659ca7e5f12f037d99aa9',
    );
    expect(log.find((l) => l.text.startsWith('Memory cgroup stats'))?.text).toContain('rss:448KB rss_huge:0KB');
    expect(log.every((l) => l.hadPrefix)).toBe(true);
  });

  it('does not join dmesg continuation lines of a multi-line record', () => {
    const log = normalizeKernelLog(readFixture('pub-docker-for-linux-1001-ratelimit-meminfo.log'));
    expect(log.filter((l) => !l.hadPrefix).map((l) => l.text.trim().split(':')[0])).toEqual(['active_file', 'unevictable', 'slab_reclaimable', 'mapped']);
  });

  it('ignores blank lines between every line', () => {
    const text = readFixture('seed-001-k3s-pod-123mi.log').split('\n').join('\n\n');
    expect(normalizeKernelLog(text).map((l) => l.text)).toEqual(normalizeKernelLog(readFixture('seed-001-k3s-pod-123mi.log')).map((l) => l.text));
  });
});
