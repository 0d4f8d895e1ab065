// The follower's pure parts: kmsg records to dmesg-style lines, and the
// remote script it builds. Records: test/fixtures/kmsg/local-6.18-plain.kmsg.log
// (captured on this machine by the kernel-parser work).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultReportParser, followerScript, normaliseKernelLine } from '../../../electron/lab/kernel/follower';

const KMSG = readFileSync(join(import.meta.dirname, '../../fixtures/kmsg/local-6.18-plain.kmsg.log'), 'utf8').split('\n').filter(Boolean);

describe('normaliseKernelLine', () => {
  it('turns a kmsg record into a dmesg line with its uptime and seq', () => {
    expect(normaliseKernelLine(KMSG[0]!, 'kmsg')).toEqual([
      { raw: '[  472.032746] stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0', uptimeSec: 472.032746, text: 'stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0', seq: 741 },
    ]);
  });

  it('drops dictionary continuation lines and splits escaped newlines', () => {
    expect(normaliseKernelLine(' SUBSYSTEM=memory', 'kmsg')).toEqual([]);
    expect(normaliseKernelLine('6,900,1000000,-;first\\x0asecond', 'kmsg').map((l) => l.raw)).toEqual(['[    1.000000] first', '[    1.000000] second']);
  });

  it('keeps dmesg lines as printed, with their uptime', () => {
    const [l] = normaliseKernelLine('[  472.032757] CPU: 0 UID: 0 PID: 20885 Comm: stress', 'dmesg');
    expect(l).toMatchObject({ raw: '[  472.032757] CPU: 0 UID: 0 PID: 20885 Comm: stress', uptimeSec: 472.032757, seq: null });
  });

  it('the normalised records are what the shared parser completes a kill from', () => {
    const parser = defaultReportParser();
    const reports = KMSG.flatMap((r) => normaliseKernelLine(r, 'kmsg')).flatMap((l) => parser.push(l.raw)).concat(parser.flush!());
    expect(reports).toHaveLength(1);
    const killLine = KMSG.find((r) => r.includes('Killed process'))!;
    expect(reports[0]!.pid).toBe(Number(/Killed process (\d+)/.exec(killLine)![1]));
    expect(reports[0]!.time.uptimeSec).toBeCloseTo(Number(killLine.split(',')[2]) / 1e6, 6);
  });
});

describe('followerScript', () => {
  it('writes the start marker only on the first launch and quotes the run id', () => {
    const first = followerScript('kmsg', 'r-1', 'abcdef0123456789');
    expect(first).toContain('cat /dev/kmsg');
    expect(first).toMatch(/oomlab-clock r-1 "\$N" marker/);
    const again = followerScript('kmsg', 'r-1', 'abcdef0123456789', 'none');
    expect(again).toMatch(/if \[ none = none \]; then :/);
    // Read-only (`oomlab kmsg --follow`): the clock line, never the write into /dev/kmsg.
    expect(followerScript('kmsg', 'r-1', 'abcdef0123456789', 'clock')).toMatch(/oomlab-clock r-1 "\$N" clock/);
  });

  it('uses the probe\'s source', () => {
    expect(followerScript('dmesg', 'r', '00')).toContain('dmesg -w');
    expect(followerScript('journalctl', 'r', '00')).toContain('journalctl -k -f');
  });

  it('rejects a run id that is not a plain name', () => {
    expect(() => followerScript('kmsg', 'x; reboot', '00')).toThrow(/run id/);
  });
});
