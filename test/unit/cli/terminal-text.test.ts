// Untrusted text reaching the terminal: nothing in it may drive the terminal.
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { terminalSafe, terminalSafeDeep, terminalSafeJson } from '../../../electron/cli/terminal-text';

// Anything a terminal would act on: ESC, C1 (U+0080-U+009F), other C0 but tab, DEL, bidi controls.
const DRIVES_TERMINAL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const hostile: Array<[string, string, string]> = [
  ['colour (CSI SGR)', 'ok \x1b[31mred\x1b[0m', 'ok red'],
  ['clear screen and home', '\x1b[2J\x1b[Hpwned', 'pwned'],
  ['window title (OSC 0, BEL)', '\x1b]0;you are root\x07after', 'after'],
  ['clipboard write (OSC 52, ST)', '\x1b]52;c;cm0gLXJmIH4K\x1b\\after', 'after'],
  ['hyperlink (OSC 8)', '\x1b]8;;http://evil/\x1b\\click\x1b]8;;\x1b\\', 'click'],
  ['device control string', '\x1bPq#0;2;0;0;0\x1b\\x', 'x'],
  ['terminal reset (ESC c)', 'a\x1bcb', 'ab'],
  ['charset switch (ESC ( 0)', 'a\x1b(0b', 'ab'],
  ['unterminated OSC', '\x1b]0;title', '0;title'],
  ['lone ESC at the end', 'x\x1b', 'x\\x1b'],
  ['8-bit CSI (C1)', 'a\x9b2Jb', 'a\\x9b2Jb'],
  ['8-bit OSC (C1)', 'a\x9d0;t\x9cb', 'a\\x9d0;t\\x9cb'],
  ['carriage return overwrite', 'rm -rf /\rls', 'rm -rf /\\x0dls'],
  ['fake next line', 'out\n  ✓ every expectation held', 'out\\x0a  ✓ every expectation held'],
  ['backspaces', 'abc\b\b\bxyz', 'abc\\x08\\x08\\x08xyz'],
  ['bell, NUL, DEL', 'a\x07b\x00c\x7fd', 'a\\x07b\\x00c\\x7fd'],
  ['right-to-left override', 'file\u202etxt.exe', 'file\\u202etxt.exe'],
  ['bidi isolates', 'a\u2066b\u2069c', 'a\\u2066b\\u2069c'],
];

describe('terminalSafe', () => {
  it.each(hostile)('%s', (_what, input, shown) => {
    const out = terminalSafe(input);
    expect(out).toBe(shown);
    expect(out).not.toMatch(DRIVES_TERMINAL);
  });

  it('keeps tabs, ordinary Unicode, and newlines only where asked', () => {
    expect(terminalSafe('a\tb 两个进程 ☠ é')).toBe('a\tb 两个进程 ☠ é');
    expect(terminalSafe('one\ntwo\x1b[1m!', { multiline: true })).toBe('one\ntwo!');
    expect(terminalSafe('one\r\ntwo', { multiline: true })).toBe('one\\x0d\ntwo');
  });

  it('is linear on 280 KB of escape introducers', () => {
    for (const unit of ['\x1b]', '\x1b[', '\x1b[1;', '\x1bP', '\x9b']) {
      const s = unit.repeat(Math.ceil((280 * 1024) / unit.length));
      const t0 = performance.now();
      const out = terminalSafe(s);
      expect(performance.now() - t0).toBeLessThan(1000);
      expect(out).not.toMatch(DRIVES_TERMINAL);
    }
  });

  it('terminalSafeDeep cleans every string of an event, keeping newlines under the named keys', () => {
    const e = { kind: 'step-start', t: 1, title: { en: 'T\x1b]0;x\x07' }, narration: { en: 'a\nb\x1b[2J', 'zh-CN': '甲\n乙' }, list: ['\x9b', 2, null] };
    expect(terminalSafeDeep(e, new Set(['narration']))).toEqual({ kind: 'step-start', t: 1, title: { en: 'T' }, narration: { en: 'a\nb', 'zh-CN': '甲\n乙' }, list: ['\\x9b', 2, null] });
  });

  it('terminalSafeJson escapes what JSON.stringify leaves raw, and parses back to the same value', () => {
    const v = { a: 'x\x9b31m\u202e\x7f\x1b[0m', b: ['两'] };
    const s = terminalSafeJson(v);
    expect(s).not.toMatch(DRIVES_TERMINAL);
    expect(JSON.parse(s)).toEqual(v);
  });
});
