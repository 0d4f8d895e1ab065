import { describe, expect, it } from 'vitest';
import { summarizeChart } from '../../../renderer/charts/summary';
import { detailPatterns, translateDetail } from '../../../renderer/i18n/details';
import { translator } from '../../../renderer/i18n/i18n';
import { emptyList, append } from '../../../renderer/state/append-list';
import type { KillView, SamplePoint } from '../../../renderer/state/view-state';

const MiB = 2 ** 20;
const point = (t: number, usage: number, peak: number | null = null): SamplePoint => ({
  t, usage: usage * MiB, limit: 123 * MiB, workingSet: usage * MiB, cache: 0, rss: usage * MiB, peak: peak === null ? null : peak * MiB, failcnt: 0, oomKills: 0, underOom: null,
});

describe('chart summary', () => {
  it('gives the limit, the peak and when, and every kill with its time', () => {
    let list = emptyList<SamplePoint>();
    for (const p of [point(0, 10), point(50, 118), point(100, 40, 122)]) list = append(list, p);
    const kill = { t: 75, report: { comm: 'stress', pid: 4242 }, workload: 'big' } as unknown as KillView;
    expect(summarizeChart(list, [kill])).toEqual({
      samples: 3,
      limitBytes: 123 * MiB,
      peakBytes: 122 * MiB, // the kernel's peak counter saw more than any sample
      peakT: 50,
      kills: [{ t: 75, comm: 'stress', pid: 4242, workload: 'big' }],
    });
  });

  it('says there is nothing before the first sample', () => {
    expect(summarizeChart(undefined, [])).toEqual({ samples: 0, limitBytes: null, peakBytes: null, peakT: null, kills: [] });
  });
});

describe('error details', () => {
  const en = translator('en');
  const zh = translator('zh-CN');

  it('translates our own sentences and keeps the names in them', () => {
    expect(translateDetail('Connect to loopback sshd first.', zh)).toEqual({ text: '请先连接 loopback sshd。', translated: true });
    expect(translateDetail('cannot connect to root@127.0.0.1:2222: connect ECONNREFUSED 127.0.0.1:2222', zh).text).toBe('无法连接到 root@127.0.0.1:2222：connect ECONNREFUSED 127.0.0.1:2222');
    expect(translateDetail('Connection cancelled.', zh).text).toBe('连接已取消。');
  });

  it('leaves words that are not ours as they came', () => {
    expect(translateDetail('Permission denied (publickey).', zh)).toEqual({ text: 'Permission denied (publickey).', translated: false });
  });

  it('the English template of every pattern is the sentence main writes (round trip)', () => {
    const samples: Record<string, string> = {
      'detail.cancelled': 'Connection cancelled.',
      'detail.connectFirst': 'Connect to lab vm first.',
      'detail.alreadyConnecting': 'Already connecting to lab vm.',
      'detail.runGoing': 'A run is already going on this host; stop it first.',
      'detail.promptGone': 'That question is no longer open (the connection attempt ended).',
      'detail.noScenario': 'No scenario with id two-workers.',
      'detail.noDemo': 'No bundled recording named x.ndjson.',
      'detail.noSuchFile': 'Cannot open /tmp/x.ndjson: no such file.',
      'detail.tooLarge': '/tmp/x.ndjson is 600 MiB; recordings larger than 512 MiB are not opened.',
      'detail.noKernelLog': 'labvm: the kernel log cannot be read (no /dev/kmsg, dmesg or journalctl access), so OOM kills would go unseen.',
      'detail.noCgroups': 'labvm: cannot create memory cgroups (not root and no sudo -n).',
      'detail.timedOut': 'connection to root@labvm timed out after 20 s',
      'detail.closedSetup': 'connection to root@labvm closed during setup',
      'detail.lost': 'connection to root@labvm lost: read ECONNRESET',
      'detail.closed': 'connection to root@labvm was closed',
      'detail.cannotConnect': 'cannot connect to root@labvm: getaddrinfo ENOTFOUND labvm',
      'detail.authFailed': 'authentication failed for root@labvm: tried publickey, password',
    };
    expect(Object.keys(samples).sort()).toEqual(detailPatterns.map(([, k]) => k).sort());
    for (const [key, message] of Object.entries(samples)) {
      const hit = detailPatterns.find(([re]) => re.test(message));
      expect(hit?.[1], message).toBe(key);
      expect(translateDetail(message, en).text).toBe(message);
      expect(translateDetail(message, zh).text, message).not.toBe(message);
    }
  });
});
