import { LabError } from '../errors';
// The only place remote shell commands are assembled. Every value that is not
// a literal of ours goes through quote(), so no user text reaches a shell
// unquoted.

export class UnsafeValueError extends LabError {
  constructor(message: string) {
    super('input', message);
    this.name = 'UnsafeValueError';
  }
}

/** Quote one word for a POSIX shell: 'it'\''s' style. NUL cannot be passed to a shell at all. */
export function quote(value: string | number): string {
  const s = String(value);
  if (s.includes('\0')) throw new UnsafeValueError('a NUL byte cannot be passed in a shell command');
  if (s !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Quote an argv and join it into one command line. */
export function command(argv: ReadonlyArray<string | number>): string {
  if (argv.length === 0) throw new UnsafeValueError('empty command');
  return argv.map(quote).join(' ');
}

/** A fragment of shell script written by us, not user text: passed through as is. */
export class Script {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/**
 * Tagged template: literal parts are our script; every interpolated value is
 * quoted, except Script fragments (ours) and arrays (each element quoted).
 *   sh`echo ${userText} > ${path}`
 */
export function sh(parts: TemplateStringsArray, ...values: Array<string | number | Script | ReadonlyArray<string | number>>): string {
  let out = parts[0] ?? '';
  values.forEach((v, i) => {
    if (v instanceof Script) out += v.text;
    else if (Array.isArray(v)) out += (v as ReadonlyArray<string | number>).map(quote).join(' ');
    else out += quote(v as string | number);
    out += parts[i + 1] ?? '';
  });
  return out;
}

/** Run a built command as root: as is when we are root, else through `sudo -n` (never prompts). */
export function asRoot(cmd: string, isRoot: boolean): string {
  return isRoot ? cmd : `sudo -n /bin/sh -c ${quote(cmd)}`;
}
