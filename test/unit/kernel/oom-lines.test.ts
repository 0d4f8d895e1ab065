// The report's parts, one real line each (from the fixtures), across kernels.
import { describe, expect, it } from 'vitest';
import { classifyLine, tableRow } from '../../../electron/lab/kernel/oom-lines';
import { normalizeKernelLog } from '../../../electron/lab/kernel/kernel-log';
import { readFixture } from './fixtures';

function text(file: string, needle: string): string {
  const l = normalizeKernelLog(readFixture(file)).find((x) => x.text.includes(needle));
  if (!l) throw new Error(`${file}: no line with ${needle}`);
  return l.text;
}

describe('kill lines in every shape', () => {
  it.each([
    ['local-6.18-plain.raw.log', 'Killed process', { reason: 'Memory cgroup out of memory', pid: 20885, comm: 'stress', anonRssKb: 32384, uid: 0, pgtablesKb: 104, oomScoreAdj: 0, totalVmKb: 68924 }],
    ['local-6.18-odd-comm.raw.log', 'Killed process', { pid: 21815, comm: 'w/a (b) [c]', anonRssKb: 31744 }],
    ['pub-docker-for-linux-1001-global-resolved.log', 'Killed process 15925', { reason: 'Out of memory', pid: 15925, comm: '(resolved)', anonRssKb: 4064, shmemRssKb: 0 }],
    ['pub-cpanel-76-rhel6.log', 'Killed process', { reason: null, pid: 11726, comm: 'mysqld', uid: 498, anonRssKb: 2539268, fileRssKb: 768, shmemRssKb: null }],
    ['pub-doris-3525-sacrificed-child.log', 'Killed process', { pid: 18177, comm: 'palo_be', uid: 0, totalVmKb: 70347780 }],
    ['pub-kubedirector-356-wrapped.log', 'Killed process', { pid: 62769, comm: null, anonRssKb: null }],
    ['pub-py-autovod-7-global-commas.log', 'Killed process', { pid: 7899, comm: 'python', totalVmKb: 26184840, anonRssKb: 15370088, pgtablesKb: 38964 }],
    ['pub-alicloud-duplicity-3-global.log', 'Killed process', { pid: 21518, comm: 'python2', fileRssKb: 4, shmemRssKb: null }],
  ])('%s', (file, needle, expected) => {
    expect(classifyLine(text(file, needle))).toMatchObject({ kind: 'killed', ...expected });
  });
});

describe('the other parts', () => {
  it('invocation headers with gfp_mask, order, oom_score_adj (3.10 to 7.0)', () => {
    expect(classifyLine(text('pub-kubernetes-56891-rhel7-dmesg-T.log', 'invoked'))).toEqual({ kind: 'header', comm: 'java', gfpMask: '0xd0', order: 0, oomScoreAdj: -998, oomAdj: null });
    expect(classifyLine(text('seed-001-k3s-pod-123mi.log', 'invoked'))).toEqual({ kind: 'header', comm: 'stress', gfpMask: '0x14000c0(GFP_KERNEL)', order: 0, oomScoreAdj: 939, oomAdj: null });
    expect(classifyLine(text('pub-sysbox-30-5.3-cut.log', 'invoked'))).toMatchObject({ comm: 'runc:[1:CHILD]', oomScoreAdj: -999 });
    expect(classifyLine(text('pub-docker-for-linux-1001-ratelimit-meminfo.log', 'invoked'))).toMatchObject({ gfpMask: '0x0()' });
    expect(classifyLine(text('pub-juci-15-openwrt-4.1-wrapped-cut.log', 'invoked'))).toMatchObject({ comm: 'hostapd', gfpMask: '0x20858', oomScoreAdj: 0 });
  });

  it('the invoker pid from the CPU line, old and new', () => {
    expect(classifyLine(text('local-6.18-plain.raw.log', 'CPU: 0 UID'))).toEqual({ kind: 'invoker-cpu', pid: 20885, comm: 'stress' });
    expect(classifyLine(text('pub-kubernetes-56891-rhel7-dmesg-T.log', 'CPU: 9'))).toEqual({ kind: 'invoker-cpu', pid: 14881, comm: 'java' });
  });

  it('oom-kill summaries, memcg and global', () => {
    expect(classifyLine(text('local-6.18-odd-comm.raw.log', 'oom-kill:'))).toEqual({
      kind: 'summary',
      constraint: 'CONSTRAINT_MEMCG',
      cpuset: '/',
      oomMemcg: '/oomlab-fixture-7475d91d',
      taskMemcg: '/oomlab-fixture-7475d91d',
      globalOom: false,
      task: 'w/a (b) [c]',
      pid: 21815,
      uid: 0,
    });
    expect(classifyLine(text('pub-py-autovod-7-global-commas.log', 'oom-kill:'))).toMatchObject({ constraint: 'CONSTRAINT_NONE', oomMemcg: null, taskMemcg: '/init.scope', globalOom: true, pid: 7899 });
  });

  it('"Task in", counters, stats, selection, reaper', () => {
    expect(classifyLine(text('pub-alibabacloud-doc-task-in.log', 'limit of host'))).toEqual({ kind: 'task-in', taskMemcg: '/user.slice', limitMemcg: 'host' });
    expect(classifyLine(text('seed-004-tke-kubepods.log', 'memory+swap'))).toEqual({ kind: 'counter', name: 'memory+swap', usageKb: 122880, limitKb: 9007199254740988, failcnt: 0 });
    expect(classifyLine(text('local-6.18-plain.raw.log', 'Memory cgroup stats'))).toEqual({ kind: 'stats-header', path: '/oomlab-fixture-7ce5e987', inline: null });
    expect(classifyLine(text('seed-000-docker-memcg-oneline.log', 'Memory cgroup stats'))).toMatchObject({ inline: { cache: 0, rss: 1045824, rss_huge: 0, shmem: 0, mapped_file: 0, dirty: 0 } });
    expect(classifyLine(text('pub-doris-3525-sacrificed-child.log', 'Kill process'))).toEqual({ kind: 'selection', reason: 'Memory cgroup out of memory', pid: 24984, comm: 'palo_be', score: 968 });
    expect(classifyLine(text('pub-docker-for-linux-1001-global-resolved.log', 'reaped process 15925'))).toEqual({ kind: 'reaped', pid: 15925, comm: '(resolved)', anonRssKb: 0, fileRssKb: 0, shmemRssKb: 0 });
  });

  it('task tables in all their header variants', () => {
    const variants: Array<[string, string, Record<string, number>]> = [
      ['pub-cadvisor-3.13-memcg.log', '[13536]', { uid: 275858, tgid: 13536, total_vm: 8389663, rss: 343, nr_ptes: 16267, swapents: 8324326, oom_score_adj: 0 }],
      ['pub-cadvisor-4.8-docker-two-kills.log', '[ 1381]', { rss: 5191, nr_ptes: 34, nr_pmds: 4, swapents: 5489, oom_score_adj: 0 }],
      ['seed-001-k3s-pod-123mi.log', '[25160]', { rss: 1, pgtables_bytes: 28672, swapents: 0, oom_score_adj: -998 }],
      ['pub-kubedirector-356-wrapped.log', '[  62769]', { rss: 411, pgtables_bytes: 77824, oom_score_adj: -998 }],
      ['local-6.18-odd-comm.raw.log', '[  21815]', { rss: 8678, rss_anon: 7936, rss_file: 742, rss_shmem: 0, pgtables_bytes: 118784 }],
    ];
    for (const [file, row, values] of variants) {
      const header = classifyLine(text(file, 'tgid total_vm'));
      if (header?.kind !== 'table-header') throw new Error(`${file}: no table header`);
      const r = tableRow(text(file, row), header.columns);
      expect(r?.values).toMatchObject(values);
    }
    const odd = classifyLine(text('local-6.18-odd-comm.raw.log', 'tgid total_vm'));
    if (odd?.kind !== 'table-header') throw new Error('no header');
    expect(tableRow(text('local-6.18-odd-comm.raw.log', '[  21815]'), odd.columns)?.name).toBe('w/a (b) [c]');
  });

  it('ignores lines that are no part of a report', () => {
    for (const l of ['docker0: port 2(vethcd0dbfb) entered blocking state', 'IPv6: ADDRCONF(NETDEV_UP): veth4cb51e1: link is not ready', ' [<ffffffff8137ad47>] dump_stack+0x4d/0x63', 'Call Trace:']) {
      expect(classifyLine(l)).toBeNull();
    }
  });
});
