// Kernel log lines arrive wrapped in whatever the reader added: `[ 123.456789]`
// (dmesg), `[Sat Apr 27 22:56:09 2019]` (dmesg -T), `Sep 13 20:05:55 host
// kernel:` (syslog, journalctl), ISO times (dmesg --time-format iso, journalctl
// -o short-iso, rsyslog), `<3>` printk levels (dmesg -r), `kern  :err   :`
// (dmesg -x) or the /dev/kmsg record header `3,660,434029340,-;`. This module
// peels those off, keeps the times, and splits text in which several lines
// were glued together (a log pasted with its line breaks lost).

export interface LinePrefix {
  /** Seconds since boot. */
  uptimeSec: number | null;
  /** Wall time: ISO 8601 when the year is known, else as printed (syslog has no year). */
  wall: string | null;
  /** printk level 0-7 when printed (<3>, kmsg record, dmesg -x). */
  level: number | null;
  /** /dev/kmsg sequence number. */
  seq: number | null;
  /** Host name from a syslog/journald prefix. */
  host: string | null;
  /** Syslog/journald tag ("kernel", "containerd", "systemd"): lines from other programs are not the kernel's. */
  tag: string | null;
}

export interface StrippedLine {
  /** The kernel's message, prefixes removed, trailing blanks trimmed. */
  text: string;
  prefix: LinePrefix;
  /** True when at least one prefix was recognised. */
  hadPrefix: boolean;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const MON = MONTHS.join('|');
const DAY = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun';
// Syslog and journald print the month in the host's locale: "дек", "déc.", "Dez", "12月".
const LOCAL_MON = String.raw`${MON}|\p{L}{2,5}\.?|\d{1,2}月`;
// dmesg -T names the weekday in the locale too: "Ср", "mer.", "三".
const LOCAL_DAY = String.raw`${DAY}|\p{L}{1,5}\.?`;
const LOCAL_MONTHS: Record<string, number> = Object.fromEntries(
  [
    'янв фев мар апр мая июн июл авг сен окт ноя дек',
    'janv févr mars avr mai juin juil août sept oct nov déc',
    'jan feb mär apr mai jun jul aug sep okt nov dez',
  ].flatMap((row) => row.split(' ').map((m, i) => [m, i + 1] as const)),
);
LOCAL_MONTHS['май'] = 5;

/** 1-12 for an English, Russian, French, German or "N月" month name; null when unknown. */
function monthNumber(token: string): number | null {
  const en = MONTHS.indexOf(token);
  if (en >= 0) return en + 1;
  const zh = /^(\d{1,2})月$/.exec(token);
  if (zh) return Number(zh[1]);
  return LOCAL_MONTHS[token.replace(/\.$/, '').toLowerCase()] ?? null;
}
const LEVELS = ['emerg', 'alert', 'crit', 'err', 'warn', 'notice', 'info', 'debug'];
const FACILITIES = 'kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7]';

// A syslog/journald "host tag:" pair; the host may be absent ("Aug 11 16:28:11 kernel: ...").
const HOST_TAG = String.raw`(?: ([\w.\-]+))? ([\w.\-/]+?)(?:\[\d+\])?:`;
// After an ISO time the host is required: dmesg --time-format iso has neither, and
// "oom_reaper: ..." must not be taken for a syslog tag.
const HOST_TAG_REQUIRED = String.raw` ([\w.\-]+) ([\w.\-/]+?)(?:\[\d+\])?:`;

interface PrefixRule {
  name: string;
  re: RegExp; // sticky, tried at the current position
  apply(m: RegExpExecArray, p: LinePrefix): void;
}

const rules: PrefixRule[] = [
  {
    // /dev/kmsg: "<level+facility>,<seq>,<usec>,<flags>[,caller=..];message"
    name: 'kmsg',
    re: /(\d{1,3}),(\d+),(\d+),[-c+][^;]{0,40};/y,
    apply(m, p) {
      p.level = Number(m[1]) & 7;
      p.seq = Number(m[2]);
      p.uptimeSec = Number(m[3]) / 1e6;
    },
  },
  {
    name: 'level',
    re: /<(\d{1,3})>/y,
    apply(m, p) {
      p.level = Number(m[1]) & 7;
    },
  },
  {
    // dmesg -x: "kern  :err   : "
    name: 'decode',
    re: new RegExp(String.raw`(?:${FACILITIES})\s*:\s*(${LEVELS.join('|')})\s*: ?`, 'y'),
    apply(m, p) {
      p.level = LEVELS.indexOf(m[1] ?? '');
    },
  },
  {
    // "[  123.456789]", "[  123.456789 <    0.000009>]" (dmesg -d), with an optional caller id "[  T123]".
    name: 'uptime',
    re: /\[\s*(\d+\.\d+)(?:\s*<\s*[\d.]+>)?\](?:\s?\[\s*[TC]\d+\])? ?/y,
    apply(m, p) {
      p.uptimeSec = Number(m[1]);
    },
  },
  {
    // dmesg --reltime / -e: "[  +0.000004]", "[Nov23 14:50]"
    name: 'reltime',
    re: new RegExp(String.raw`\[\s*(?:\+\d+\.\d+|(?:${MON})\d{1,2} \d\d:\d\d)\] ?`, 'y'),
    apply() {},
  },
  {
    // dmesg -T / --time-format ctime: "[Sat Apr 27 22:56:09 2019]"
    name: 'ctime',
    re: new RegExp(String.raw`\[(?:${LOCAL_DAY}) (${LOCAL_MON}) +(\d{1,2}) (\d\d:\d\d:\d\d) (\d{4})\] ?`, 'yu'),
    apply(m, p) {
      const n = monthNumber(m[1] ?? '');
      const day = (m[2] ?? '').padStart(2, '0');
      p.wall = n === null ? `${m[4]} ${m[1]} ${day} ${m[3]}` : `${m[4]}-${String(n).padStart(2, '0')}-${day}T${m[3]}`;
    },
  },
  {
    // syslog / journalctl short(-precise): "Sep 13 20:05:55 host kernel: "
    name: 'syslog',
    re: new RegExp(String.raw`(${LOCAL_MON}) +(\d{1,2}) (\d\d:\d\d:\d\d(?:\.\d+)?)${HOST_TAG} ?`, 'yu'),
    apply(m, p) {
      p.wall = `${m[1]} ${(m[2] ?? '').padStart(2, '0')} ${m[3]}`;
      if (m[4]) p.host = m[4];
      p.tag = m[5] ?? null;
    },
  },
  {
    // ISO (dmesg --time-format iso, journalctl -o short-iso, rsyslog RFC 3339), optionally "host tag:".
    name: 'iso',
    re: new RegExp(String.raw`(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?(?:${HOST_TAG_REQUIRED})? ?`, 'y'),
    apply(m, p) {
      p.wall = `${m[1]}T${m[2]}${m[3] ? `.${m[3]}` : ''}${m[4] ?? ''}`;
      if (m[5]) p.host = m[5];
      if (m[6]) p.tag = m[6];
    },
  },
  {
    // journalctl -o short-full: "Mon 2026-11-23 14:50:08 UTC host kernel: "
    name: 'journal-full',
    re: new RegExp(String.raw`(?:${DAY}) (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) ([A-Z]{1,5}|[+-]\d\d:?\d\d)${HOST_TAG_REQUIRED} ?`, 'y'),
    apply(m, p) {
      p.wall = `${m[1]}T${m[2]}${m[3] === 'UTC' || m[3] === 'GMT' ? 'Z' : /^[+-]/.test(m[3] ?? '') ? m[3] : ` ${m[3]}`}`;
      p.host = m[4] ?? null;
      p.tag = m[5] ?? null;
    },
  },
  {
    // journalctl -o short-unix: "1763909408.032746 host kernel: "
    name: 'journal-unix',
    re: new RegExp(String.raw`(\d{9,11}\.\d{1,9})${HOST_TAG_REQUIRED} ?`, 'y'),
    apply(m, p) {
      p.wall = new Date(Number(m[1]) * 1000).toISOString();
      p.host = m[2] ?? null;
      p.tag = m[3] ?? null;
    },
  },
  {
    // journalctl -o short-monotonic puts "host kernel:" after the uptime.
    name: 'host-kernel',
    re: /([\w.\-]+) kernel: ?/y,
    apply(m, p) {
      p.host = m[1] ?? null;
      p.tag = 'kernel';
    },
  },
  {
    // Lines quoted without the syslog date ("kernel: runc:[2:INIT] invoked oom-killer ...").
    name: 'kernel-tag',
    re: /kernel: ?/y,
    apply(_m, p) {
      p.tag = 'kernel';
    },
  },
];

// Rules that may only follow another prefix (they would eat real messages otherwise).
const ONLY_AFTER_PREFIX = new Set(['host-kernel']);

function emptyPrefix(): LinePrefix {
  return { uptimeSec: null, wall: null, level: null, seq: null, host: null, tag: null };
}

// "5193605.506728] Task in ..." — a copied line whose opening bracket was lost.
const CUT_UPTIME = /^\s*(\d+\.\d{6})\] ?/;
// Anything in front of an uptime stamp near the start of the line is somebody's prefix
// (serial console loggers, hypervisor logs: "2023-12-04T10:49:30.118Z In(05) vcpu-5 - Guest: <4>[ 123.4] ...").
const UPTIME_ANCHOR = /(?:<\d{1,3}>)?\[\s*\d+\.\d{3,}\] ?/;
const ANCHOR_WINDOW = 120;
// Loggers wrapping loggers: a serial console around a hypervisor log around dmesg is three.
const MAX_CHAINS = 8;

function definedOnly(p: LinePrefix): Partial<LinePrefix> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null)) as Partial<LinePrefix>;
}

/** Removes every recognised prefix from one line and returns the message with the times found. */
export function stripPrefix(line: string): StrippedLine {
  // Trailing clean-up once, and line ends by a loop: `/[\r\n]+$/` would retry from every CR of an inner run (quadratic).
  let end = line.length;
  while (end > 0 && (line[end - 1] === '\r' || line[end - 1] === '\n')) end--;
  let s = line.slice(0, end).replace(/```\s*$/, '');

  // A prefix chain may end in a second one further on (an uptime anchor): peeled in a loop of
  // at most MAX_CHAINS, so a line of a thousand anchors neither overflows the stack nor takes long.
  const merged = emptyPrefix();
  let anchoredWall: string | null = null;
  let anchored = false;
  for (let chain = 1; ; chain++) {
    const peeled = peel(s);
    Object.assign(merged, definedOnly(peeled.prefix));
    const rest = peeled.rest;
    const window = rest.slice(0, ANCHOR_WINDOW);
    const a = chain < MAX_CHAINS ? UPTIME_ANCHOR.exec(window) : null;
    if (a && a.index > 0 && /[\s:]$/.test(window.slice(0, a.index))) {
      // The innermost wall time wins; an ISO time before the anchor stands in when its prefix had none.
      const iso = /(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:[.,](\d+))?(Z|[+-]\d\d:?\d\d)?/.exec(window.slice(0, a.index));
      anchoredWall = peeled.prefix.wall ?? (iso ? `${iso[1]}T${iso[2]}${iso[3] ? `.${iso[3]}` : ''}${iso[4] ?? ''}` : null) ?? anchoredWall;
      anchored = true;
      s = rest.slice(a.index);
      continue;
    }
    let text = rest;
    // /dev/kmsg escapes control characters (\x0a inside multi-line records).
    if (peeled.prefix.seq !== null) text = text.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    merged.wall = peeled.prefix.wall ?? anchoredWall;
    return { text: text.trimEnd(), prefix: merged, hadPrefix: anchored || peeled.hadPrefix };
  }
}

/** One chain of prefixes at the start of `line`: what they said and the text after them. */
function peel(line: string): { prefix: LinePrefix; rest: string; hadPrefix: boolean } {
  const prefix = emptyPrefix();
  let hadPrefix = false;
  // Markdown quoting and fences around pasted logs; the kernel never starts a message with these.
  let s = line.replace(/^\s*(?:>\s?)+/, '').replace(/^\s*```\w*/, '');

  const cut = CUT_UPTIME.exec(s);
  if (cut) {
    prefix.uptimeSec = Number(cut[1]);
    s = s.slice(cut[0].length);
    hadPrefix = true;
  }

  let pos = 0;
  for (let round = 0; round < 8; round++) {
    // Leading blanks are only part of the prefix when a prefix follows them.
    const lead = /^[ \t]*/.exec(s.slice(pos))?.[0].length ?? 0;
    let matched = false;
    for (const rule of rules) {
      if (ONLY_AFTER_PREFIX.has(rule.name) && !hadPrefix) continue;
      if (rule.name === 'kernel-tag' && round > 0 && !hadPrefix) continue;
      rule.re.lastIndex = pos + lead;
      const m = rule.re.exec(s);
      if (!m) continue;
      rule.apply(m, prefix);
      pos = pos + lead + m[0].length;
      hadPrefix = true;
      matched = true;
      break;
    }
    if (!matched) break;
  }
  return { prefix, rest: s.slice(pos), hadPrefix };
}

// Prefixes distinctive enough to split on when they appear in the middle of a
// line. "<3>" alone is not: Code: lines contain "<41>".
const SPLIT_PATTERNS = [
  String.raw`(?:<\d{1,3}>)?\[\s*\d+\.\d{6}\]`,
  String.raw`\[(?:${DAY}) (?:${MON}) +\d{1,2} \d\d:\d\d:\d\d \d{4}\]`,
  String.raw`(?:${MON}) +\d{1,2} \d\d:\d\d:\d\d(?:\.\d+)?${HOST_TAG}`,
  // Not after a quote: other programs' messages carry ISO times (time="2020-05-08T14:05:34...").
  String.raw`(?<![="'])\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)?`,
  String.raw`\d{1,3},\d+,\d+,[-c+][^;]{0,40};`,
  String.raw`(?:${DAY}) \d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? (?:[A-Z]{1,5}|[+-]\d\d:?\d\d)${HOST_TAG_REQUIRED}`,
  String.raw`(?:${FACILITIES})\s*:\s*(?:${LEVELS.join('|')})\s*:`,
];
const SPLIT_RE = new RegExp(SPLIT_PATTERNS.join('|'), 'g');

/**
 * Splits one physical line into the log lines glued into it. A chain of
 * prefixes ("Sep 13 20:05:55 host kernel: [ 12.3]") stays together; a prefix
 * that follows message text starts a new line.
 */
export function splitGluedLine(line: string): string[] {
  const out: string[] = [];
  let segStart = 0;
  let chainEnd = -1; // end of the prefix chain of the current segment
  SPLIT_RE.lastIndex = 0;
  for (let m = SPLIT_RE.exec(line); m; m = SPLIT_RE.exec(line)) {
    if (m[0] === '') {
      SPLIT_RE.lastIndex++;
      continue;
    }
    const gapStart = chainEnd >= 0 ? chainEnd : segStart;
    const gap = line.slice(gapStart, m.index);
    if (m.index === segStart || (chainEnd >= 0 && gap.trim() === '')) {
      chainEnd = m.index + m[0].length;
      continue;
    }
    out.push(line.slice(segStart, m.index));
    segStart = m.index;
    chainEnd = m.index + m[0].length;
  }
  out.push(line.slice(segStart));
  return out.filter((s) => s.trim() !== '');
}
