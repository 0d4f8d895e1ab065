import { terminalCaps } from '../../../electron/cli/terminal-caps';
import { describe, expect, it } from 'vitest';
import { Printer } from '../../../electron/cli/printer';
import type { LabEvent } from '../../../electron/lab/events';
import { events, header, sample } from '../recording/fixtures';
import { handBuiltReport } from '../renderer/hand-built-events';

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

  it('prints host, workload, kernel and recording text without a single escape sequence or control character', () => {
    const evil = '\x1b]0;owned\x07\x1b[2J\x9b31m\u202e\rPassword: ';
    const hostile: LabEvent[] = [
      { ...runStart, scenario: { ...header.scenario, title: { en: `T${evil}` } }, host: { ...header.host, host: `h${evil}`, kernel: `k${evil}` } } as LabEvent,
      { kind: 'step-start', t: 0, index: 0, title: { en: `s${evil}` }, narration: { en: `line one${evil}\nline two` } },
      { kind: 'workload-output', t: 1, workload: 'big', fd: 'stdout', line: `out${evil}\n  ✓ forged` },
      { kind: 'kernel-line', t: 2, raw: `kern${evil}` },
      { kind: 'oom-kill', t: 3, workload: 'big', report: { ...handBuiltReport, comm: `c${evil}`, memcg: `/m${evil}` } },
      { kind: 'expectation', t: 4, step: 0, text: `e${evil}`, passed: true, observed: `o${evil}` },
      { kind: 'warning', t: 5, message: `w${evil}` },
      { kind: 'run-end', t: 6, outcome: 'failed', reason: `r${evil}` },
    ];
    const plain = print(hostile, { kernelLines: true });
    expect(plain).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
    expect(plain).toContain('out\\x9b31m\\u202e\\x0dPassword: \\x0a  ✓ forged'); // one line, the forged one shown for what it is
    expect(plain).toContain('   line one\\x9b31m\\u202e\\x0dPassword: \n   line two'); // narration keeps its own line break
    // On a TTY the only escapes are the printer's own colours.
    const tty = print(hostile, { tty: true, kernelLines: true });
    expect(tty.replace(/\x1b\[[0-9;]*m/g, '')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
  });
});

describe('terminalCaps', () => {
  it('colour and the live line only on a TTY; TERM=dumb drops both, NO_COLOR only colour', () => {
    expect(terminalCaps({ isTTY: true }, { TERM: 'xterm' })).toEqual({ live: true, colour: true });
    expect(terminalCaps({ isTTY: true }, { TERM: 'xterm', NO_COLOR: '1' })).toEqual({ live: true, colour: false });
    expect(terminalCaps({ isTTY: true }, { TERM: 'xterm', NO_COLOR: '' })).toEqual({ live: true, colour: true });
    expect(terminalCaps({ isTTY: true }, { TERM: 'dumb' })).toEqual({ live: false, colour: false });
    expect(terminalCaps({}, { TERM: 'xterm' })).toEqual({ live: false, colour: false });
  });
});
