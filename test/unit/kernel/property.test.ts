// Property tests: re-print each fixture in another reader's prefix style, with
// real unrelated kernel lines interleaved at random places, optionally with a
// blank line between every line or with every line break lost. The kills found
// (and the victimless reports) must not change.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalizeKernelLog, scanKernelLog } from '../../../electron/lab/kernel/kernel-log';
import { OomReportParser, type OomParserEvent } from '../../../electron/lab/kernel/oom-parser';
import type { OomIncompleteReport, OomKillReport } from '../../../electron/lab/kernel/report';
import { FIXTURES, readFixture } from './fixtures';

// Unrelated lines printed by real kernels (cadvisor/gpud fixtures and this machine's dmesg).
const UNRELATED = [
  'docker0: port 2(vethcd0dbfb) entered blocking state',
  'device veth4cb51e1 left promiscuous mode',
  'eth0: renamed from vethbcd01c4',
  'IPv6: ADDRCONF(NETDEV_CHANGE): cali16b7bb8d9d5: link becomes ready',
  'perf: interrupt took too long (2509 > 2500), lowering kernel.perf_event_max_sample_rate to 79500',
  'nvidia-nvswitch2: open (major=510)',
  'wireguard: WireGuard 1.0.0 loaded. See www.wireguard.com for information.',
  'Initializing XFRM netlink socket',
  'random: crng reseeded due to virtual machine fork',
  'virtio_blk virtio1: [vda] new size: 536870912 512-byte logical blocks (275 GB/256 GiB)',
  'EXT4-fs (vda): mounted filesystem 00000000-0000-0000-0000-000000000000 r/w without journal. Quota mode: none.',
  'process_api (1): drop_caches: 10',
  'oom_control is deprecated and will be removed. Please report your usecase to linux-mm-@kvack.org if you depend on this functionality.',
];

type Style = 'none' | 'raw' | 'ctime' | 'syslog' | 'journal-precise' | 'journal-iso' | 'journal-full' | 'journal-unix' | 'dmesg-iso' | 'level' | 'kmsg' | 'decode' | 'monotonic';
const STYLES: Style[] = ['none', 'raw', 'ctime', 'syslog', 'journal-precise', 'journal-iso', 'journal-full', 'journal-unix', 'dmesg-iso', 'level', 'kmsg', 'decode', 'monotonic'];
// Styles whose prefix is distinctive enough to find again when the line breaks are lost.
// (/dev/kmsg records are read one per read(2) and never arrive glued; "<pri>,<seq>,<usec>"
// glued to a message ending in digits is ambiguous anyway.)
const GLUABLE = new Set<Style>(['raw', 'ctime', 'syslog', 'journal-precise', 'journal-iso', 'journal-full', 'dmesg-iso', 'decode', 'monotonic']);

const pad2 = (n: number) => String(n).padStart(2, '0');

function render(body: string, i: number, style: Style): string {
  const up = 1000 + i * 0.000731;
  const us = up.toFixed(6);
  const s = 8 + Math.floor(i / 100);
  const ctime = `Mon Nov 23 14:50:${pad2(s % 60)} 2026`;
  switch (style) {
    case 'none':
      return body;
    case 'raw':
      return `[${us.padStart(12)}] ${body}`;
    case 'ctime':
      return `[${ctime}] ${body}`;
    case 'syslog':
      return `Nov 23 14:50:${pad2(s % 60)} lab-host kernel: ${body}`;
    case 'journal-precise':
      return `Nov 23 14:50:${pad2(s % 60)}.${String(i).padStart(6, '0')} lab-host kernel: ${body}`;
    case 'journal-iso':
      return `2026-11-23T14:50:${pad2(s % 60)}+0000 lab-host kernel: ${body}`;
    case 'journal-full':
      return `Mon 2026-11-23 14:50:${pad2(s % 60)} UTC lab-host kernel: ${body}`;
    case 'journal-unix':
      return `${(1763909400 + i * 0.000731).toFixed(6)} lab-host kernel: ${body}`;
    case 'dmesg-iso':
      return `2026-11-23T14:50:${pad2(s % 60)},${String(i).padStart(6, '0')}+00:00 ${body}`;
    case 'level':
      return `<6>[${us.padStart(12)}] ${body}`;
    case 'kmsg':
      return `6,${1000 + i},${Math.round(up * 1e6)},-;${body}`;
    case 'decode':
      return `kern  :info  : [${us.padStart(12)}] ${body}`;
    case 'monotonic':
      return `[${us.padStart(12)}] lab-host kernel: ${body}`;
  }
}

function summary(reports: Array<OomKillReport | OomIncompleteReport>) {
  return reports.map((r) => ({
    kind: r.pid === null ? 'incomplete' : 'kill',
    pid: r.pid,
    comm: r.comm,
    memcg: r.memcg,
    taskMemcg: r.taskMemcg,
    selectedPid: r.selectedPid,
    anonRssKb: r.anonRssKb,
    oomScoreAdj: r.oomScoreAdj,
    containerId: r.containerId,
    podUid: r.podUid,
    reaped: r.reaped !== null,
    truncated: r.truncated ?? false,
  }));
}

/** The kernel's own lines of a fixture (prefixes stripped, other programs' syslog lines dropped). */
function bodies(file: string): string[] {
  return normalizeKernelLog(readFixture(file))
    .filter((l) => l.prefix.tag === null || l.prefix.tag === 'kernel')
    .map((l) => l.text);
}

const SUBJECTS = FIXTURES.filter((f) => f.kills.length > 0 || (f.incomplete ?? []).length > 0).map((f) => f.file);
const baselines = new Map(SUBJECTS.map((f) => [f, summary(scanKernelLog(readFixture(f)).reports)]));

const scenario = fc.record({
  file: fc.constantFrom(...SUBJECTS),
  style: fc.constantFrom(...STYLES),
  // Where to insert unrelated lines: [position fraction, which line].
  noise: fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(UNRELATED.length - 1)), { maxLength: 12 }),
  blank: fc.boolean(),
  glue: fc.boolean(),
});

function build(sc: { file: string; style: Style; noise: Array<[number, number]>; blank: boolean; glue: boolean }): string[] {
  const lines = bodies(sc.file);
  const withNoise = [...lines];
  for (const [at, which] of [...sc.noise].sort((a, b) => b[0] - a[0])) withNoise.splice(Math.round(at * withNoise.length), 0, UNRELATED[which] ?? '');
  return withNoise.map((b, i) => render(b, i, sc.style));
}

describe('parsing is independent of prefixes and interleaved noise', () => {
  it('finds the same kills whatever the prefix style, noise, blank lines or lost line breaks', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const rendered = build(sc);
        const glue = sc.glue && GLUABLE.has(sc.style);
        const text = glue ? rendered.join('') : rendered.join(sc.blank ? '\n\n' : '\n');
        expect(summary(scanKernelLog(text).reports)).toEqual(baselines.get(sc.file));
      }),
      { numRuns: 300 },
    );
  });

  it('the streaming parser fed line by line agrees with the whole-log scan', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const p = new OomReportParser();
        const bySeq = new Map<number, OomKillReport>();
        const incomplete: OomIncompleteReport[] = [];
        const take = (events: OomParserEvent[]) =>
          events.forEach((e) => (e.type === 'incomplete' ? incomplete.push(e.report) : bySeq.set(e.seq, e.report)));
        build(sc).forEach((l, i) => take(p.feed(l, i + 1)));
        take(p.finish());
        const reports = [...[...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r), ...incomplete].sort((a, b) => (a.sourceLine ?? 0) - (b.sourceLine ?? 0));
        expect(summary(reports)).toEqual(baselines.get(sc.file));
      }),
      { numRuns: 200 },
    );
  });
});
