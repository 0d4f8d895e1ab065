// The quoting helper against hostile input, proven by a real /bin/sh: what
// `printf %s <quoted>` prints must be exactly the original bytes.
import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { asRoot, command, quote, sh, Script, UnsafeValueError } from '../../../electron/lab/ssh/quote';

function viaShell(script: string): Buffer {
  const r = spawnSync('/bin/sh', ['-c', script]);
  if (r.status !== 0) throw new Error(`sh failed (${r.status}): ${r.stderr.toString()}`);
  return r.stdout;
}

const HOSTILE = [
  '',
  ' ',
  "it's",
  "''",
  '"double" \\"escaped\\"',
  '$(touch /tmp/oomlab-pwned)',
  '`touch /tmp/oomlab-pwned`',
  '${HOME}',
  '$HOME',
  'a; rm -rf /tmp/oomlab-nothing',
  'a && b || c | d & e',
  'line1\nline2\n',
  '\r\n\t\v\f',
  '*?[a-z]~#!',
  '-n',
  '--help',
  '\\',
  "\\'",
  'größe ✓ 中文 😀',
  '\u00a0\u2028\u2029',
  '\x01\x1b[31mred\x1b[0m\x7f',
  "'; echo pwned; '",
  "$(printf '%s' \"$(id)\")",
];

describe('quote', () => {
  it.each(HOSTILE)('round-trips %j through /bin/sh', (s) => {
    expect(viaShell(`printf %s ${quote(s)}`)).toEqual(Buffer.from(s, 'utf8'));
  });

  it('round-trips arbitrary strings of shell metacharacters, controls and non-ASCII', () => {
    const unit = fc.oneof(
      fc.constantFrom("'", '"', '$', '`', '\\', ';', '\n', '\r', '|', '&', '*', '?', '~', '#', ' ', '\t', '(', ')', '{', '}', '<', '>', '!', '%', '='),
      fc.string({ minLength: 1, maxLength: 1 }).filter((c) => c !== '\0'),
      fc.constantFrom('ü', '✓', '😀', '中', '\u00a0'),
    );
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 40 }), (s) => {
        expect(viaShell(`printf %s ${quote(s)}`)).toEqual(Buffer.from(s, 'utf8'));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses NUL, which no shell argument can carry', () => {
    expect(() => quote('a\0b')).toThrow(UnsafeValueError);
    expect(() => sh`echo ${'x\0'}`).toThrow(/NUL/);
  });

  it('leaves plain words bare and quotes numbers safely', () => {
    expect(quote('/sys/fs/cgroup/memory/oomlab-x')).toBe('/sys/fs/cgroup/memory/oomlab-x');
    expect(quote(42)).toBe('42');
    expect(quote('')).toBe("''");
  });
});

describe('command and sh``', () => {
  it('passes each argv element as exactly one argument', () => {
    const argv = HOSTILE.filter((s) => s !== '');
    const out = viaShell(`${command(['printf', '%s\\0', ...argv])}`);
    expect(out.toString('utf8').split('\0').slice(0, -1)).toEqual(argv);
  });

  it('quotes interpolated values and arrays, passes Script fragments as ours', () => {
    const user = "x'; echo injected; '";
    const script = sh`printf '%s|' ${user} ${['a b', '$c']} ${new Script('"$((1+2))"')}`;
    expect(viaShell(script).toString()).toBe(`${user}|a b|$c|3|`);
  });
});

describe('asRoot', () => {
  it('is the command itself for root', () => {
    expect(asRoot('id -u', true)).toBe('id -u');
  });
  it('wraps in sudo -n /bin/sh -c with the command quoted intact', () => {
    const cmd = sh`printf %s ${"it's $(hostile) `x`"}`;
    const wrapped = asRoot(cmd, false);
    expect(wrapped.startsWith('sudo -n /bin/sh -c ')).toBe(true);
    // Without the sudo prefix, the wrapped command runs exactly the original.
    expect(viaShell(wrapped.slice('sudo -n '.length)).toString()).toBe("it's $(hostile) `x`");
  });
});
