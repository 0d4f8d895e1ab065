// Text from a host, a workload, a kernel log or a recording is untrusted: an
// escape sequence in it could recolour, move the cursor, retitle the window,
// write the clipboard (OSC 52) or draw a fake prompt; a bidi override could
// make the line read differently from what it holds. Everything the CLI
// prints from such a source goes through terminalSafe() first.
//
// Complete escape sequences are dropped (the text around them stays readable);
// every other control character is shown as a visible escape (\x07, \x9b,
// \u202e), as OpenSSH shows the banners and prompts a server sends.

// CSI (ESC [ ... final), OSC / DCS / SOS / PM / APC strings up to BEL or ST, and two-byte ESC sequences.
// Each alternative has one way to match, so the scan is linear however many ESCs a hostile line holds.
const ESCAPE_SEQUENCE = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]/g;
// C0 except tab (and newline where allowed), DEL, C1, and the bidirectional controls.
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const CONTROL_KEEP_NEWLINE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * `s` with no way to drive the terminal: escape sequences removed, other
 * control characters made visible. Newlines become `\x0a` unless
 * `multiline` (narration, which is printed as several lines on purpose).
 */
export function terminalSafe(s: string, opts: { multiline?: boolean } = {}): string {
  return s.replace(ESCAPE_SEQUENCE, '').replace(opts.multiline ? CONTROL_KEEP_NEWLINE : CONTROL, visible);
}

/**
 * A copy of `value` with every string in it made terminalSafe (objects and
 * arrays walked, keys kept); strings under one of `multilineKeys` keep their newlines.
 */
export function terminalSafeDeep<T>(value: T, multilineKeys: ReadonlySet<string> = new Set()): T {
  const walk = (v: unknown, multiline: boolean): unknown => {
    if (typeof v === 'string') return terminalSafe(v, { multiline });
    if (Array.isArray(v)) return v.map((x) => walk(x, multiline));
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, multiline || multilineKeys.has(k))]));
    return v;
  };
  return walk(value, false) as T;
}

// JSON.stringify escapes C0 (ESC included) but writes DEL, C1 and bidi controls raw.
const JSON_RAW_CONTROL = /[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** JSON.stringify whose output holds no control character (they can only occur in strings, as \uXXXX). */
export function terminalSafeJson(value: unknown, space?: number): string {
  return JSON.stringify(value, null, space).replace(JSON_RAW_CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
