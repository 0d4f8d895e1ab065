// Whole kernel logs (a file, a paste, a journal export), as `oomlab kmsg` and
// the fixtures read them: split into logical lines, then fed through the same
// line-at-a-time parser the live follower uses.

import type { OomIncompleteReport, OomKillReport } from './report';
import { splitGluedLine, stripPrefix, type LinePrefix } from './prefix';
import { classifyLine, statsLine } from './oom-lines';
import { OomReportParser, type OomParserEvent } from './oom-parser';

/** One logical kernel-log line after splitting glued lines, joining wrapped ones and stripping prefixes. */
export interface LogLine {
  /** 1-based line of the input it came from. */
  lineNo: number;
  raw: string;
  text: string;
  prefix: LinePrefix;
  hadPrefix: boolean;
}

// A copy wrapped at a fixed width continues on a line without a prefix.
const WRAP_MIN_WIDTH = 60;

/**
 * Splits a pasted log into logical lines: CRLF or LF, several lines glued into
 * one, blank lines anywhere, and (when most lines carry a prefix) lines that a
 * terminal or web page wrapped joined back together.
 */
export function normalizeKernelLog(text: string): LogLine[] {
  const segs: Array<LogLine & { blankBefore: boolean }> = [];
  let blank = false;
  text.split(/\r?\n/).forEach((physical, i) => {
    if (physical.trim() === '') {
      blank = true;
      return;
    }
    for (const seg of splitGluedLine(physical)) {
      const s = stripPrefix(seg);
      segs.push({ lineNo: i + 1, raw: seg, text: s.text, prefix: s.prefix, hadPrefix: s.hadPrefix, blankBefore: blank });
      blank = false;
    }
  });
  const prefixed = segs.filter((s) => s.hadPrefix).length;
  const joinWraps = segs.length > 0 && prefixed * 2 >= segs.length;
  const out: LogLine[] = [];
  for (const s of segs) {
    const prev = out[out.length - 1];
    const wrapped =
      joinWraps &&
      prev !== undefined &&
      !s.hadPrefix &&
      !s.blankBefore &&
      prev.raw.length >= WRAP_MIN_WIDTH &&
      !/^\s{2,}/.test(s.raw) && // dmesg indents the continuation lines of a multi-line record
      classifyLine(s.text) === null &&
      statsLine(s.text) === null &&
      !/^\s*\[\s*\d+\]/.test(s.text);
    if (wrapped && prev) {
      prev.raw += s.raw;
      prev.text = stripPrefix(prev.raw).text;
    } else {
      out.push({ lineNo: s.lineNo, raw: s.raw, text: s.text, prefix: s.prefix, hadPrefix: s.hadPrefix });
    }
  }
  return out;
}

export interface KernelLogScan {
  /** Kills in log order, with their oom_reaper and memory.oom.group news merged in. */
  kills: OomKillReport[];
  /** Reports that never named a victim. */
  incomplete: OomIncompleteReport[];
  /** Both, in log order. */
  reports: Array<OomKillReport | OomIncompleteReport>;
}

/** Parses a whole log (file, paste, journal export). */
export function scanKernelLog(text: string): KernelLogScan {
  const parser = new OomReportParser();
  const bySeq = new Map<number, OomKillReport>();
  const incomplete: OomIncompleteReport[] = [];
  const take = (events: OomParserEvent[]) => {
    for (const e of events) {
      if (e.type === 'incomplete') incomplete.push(e.report);
      else bySeq.set(e.seq, e.report);
    }
  };
  for (const line of normalizeKernelLog(text)) {
    // Feed the line with its prefix so the parser sees the same thing as from a live follower.
    take(parser.feed(line.raw, line.lineNo));
  }
  take(parser.finish());
  const kills = [...bySeq.entries()].sort((a, b) => a[0] - b[0]).map(([, r]) => r);
  const reports = [...kills, ...incomplete].sort((a, b) => (a.sourceLine ?? 0) - (b.sourceLine ?? 0));
  return { kills, incomplete, reports };
}
