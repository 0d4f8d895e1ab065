import { describe, expect, it } from 'vitest';
import { Printer } from '../../../electron/cli/printer';
import type { LabEvent } from '../../../electron/lab/events';
import { events, header, sample } from '../recording/fixtures';

function print(evs: LabEvent[], opts: Partial<ConstructorParameters<typeof Printer>[0]> = {}): string {
  let out = '';
  const p = new Printer({ write: (s) => (out += s), locale: 'en', tty: false, totalSteps: 2, ...opts });
  for (const e of evs) p.print(e);
  p.finish();
  return out;
}

const runStart: LabEvent = {
  kind: 'run-start',
  t: 0,
  runId: header.runId,
  scenario: header.scenario,
  host: header.host,
  target: header.target,
  startedAt: header.startedAt,
  appVersion: header.appVersion,
};

describe('Printer', () => {
  it('prints steps, workloads, expectations and the outcome without escape codes off a TTY', () => {
    const out = print([
      runStart,
      ...events.slice(0, -1),
      { kind: 'expectation', t: 950, step: 0, text: 'big was OOM-killed', passed: true, observed: 'killed: pid 4243' },
      { kind: 'expectation', t: 950, step: 0, text: 'failcnt > 0', passed: false, observed: 'failcnt 0' },
      events[events.length - 1]!,
    ]);
    expect(out).not.toContain('\x1b');
    expect(out).toContain('▶ Two workers');
    expect(out).toContain('── Step 1/2: First worker');
    expect(out).toContain('   Start **100M**.');
    expect(out).toContain('big started: pid 4242 in target (membership verified)');
    expect(out).toContain('big| stress: info: [4242] dispatching hogs');
    expect(out).toContain('big (pid 4243) killed by SIGKILL — OOM-killed');
    expect(out).toContain('  ✓ big was OOM-killed — killed: pid 4243');
    expect(out).toContain('  ✗ failcnt > 0 — failcnt 0');
    expect(out).toMatch(/✔ passed in 1\.0 s\n$/);
    // samples make no lines off a TTY
    expect(out).not.toContain('usage');
  });

  it('uses the chosen locale, falling back to English', () => {
    const out = print([runStart, events[0]!], { locale: 'zh-CN' });
    expect(out).toContain('▶ 两个进程');
    expect(out).toContain('第一个进程');
    expect(out).toContain('Start **100M**.'); // narration has no zh-CN here
  });

  it('on a TTY draws a live line and clears it before the next line', () => {
    const out = print([runStart, sample(50, 64 * 1024 * 1024), { kind: 'warning', t: 60, message: 'w' }], { tty: true });
    expect(out).toMatch(/\r\x1b\[K.*usage 64\.0 MiB \(52%\) \/ 123\.0 MiB/);
    expect(out.indexOf('warning: w')).toBeGreaterThan(out.lastIndexOf('\r\x1b[K'));
  });
});
