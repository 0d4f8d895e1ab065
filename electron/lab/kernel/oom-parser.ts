// The OOM report parser: pure, line at a time. The live kernel-log follower
// feeds it lines as they arrive (dmesg -w, /dev/kmsg records, journalctl -k -f);
// `oomlab kmsg` feeds it a whole pasted log through kernel-log.ts scanKernelLog.
// oom-lines.ts classifies each line; oom-assemble.ts turns a report's parts into
// the OomKillReport.
//
// Streaming contract (what the follower relies on):
// - A kill is emitted by the very line that completes it: the "Killed process"
//   line. Nothing waits for a later unrelated line.
// - If the kill line never comes, the victim named by the oom-kill summary (or,
//   after a kill line cut before its pid, by the selection line) is emitted,
//   marked `truncated` with `seenIn`, when the next report starts, when its
//   oom_reaper line arrives (seenIn 'oom_reaper'), or at finish(). A selection
//   line ("Kill process N ... or sacrifice child") alone is no kill: the report
//   is `incomplete` with selectedPid.
// - A summary that arrives after its kill line (journald reorders) updates that
//   kill (`update`, change 'summary') instead of starting a report.
// - Later news about an already emitted kill (its oom_reaper line, the
//   memory.oom.group notice) arrives as an `update` event carrying the same
//   `seq` and a fresh copy of the whole report; replace the earlier one.
// - A report that shows an OOM but never names a victim (header, memcg lines,
//   then the log ends) is emitted as `incomplete` (pid and comm null) when it is
//   closed.
// Events carry copies: the parser never mutates what it handed out.
//
// How lines are grouped: an OOM report prints its parts in a fixed order
// (header, invoker CPU line, "Task in", memcg counters, stats, task table,
// oom-kill summary, selection, kill, reaper). A part that goes back in that
// order, or repeats one that cannot repeat, belongs to a new report whose header
// was rate-limited away or cut off. Lines that are no part of a report
// (interleaved messages from other subsystems, call traces) are skipped.

import type { OomIncompleteReport, OomKillReport, OomTime } from './report';
import { splitGluedLine, stripPrefix, type LinePrefix } from './prefix';
import { classifyLine, statsLine, tableRow, type OomLine } from './oom-lines';
import { assembleReport, toTask, type Ctx, type El, type Kill } from './oom-assemble';

export type OomParserEvent =
  | { type: 'kill'; seq: number; report: OomKillReport }
  | { type: 'update'; seq: number; change: 'reaped' | 'group-kill' | 'summary'; report: OomKillReport }
  | { type: 'incomplete'; report: OomIncompleteReport };

// Where each part sits in a report; see the grouping note above.
const RANK: Record<OomLine['kind'], number> = {
  header: 0,
  cpuset: 1,
  'invoker-cpu': 1,
  'mem-info': 1,
  'task-in': 2,
  counter: 3,
  'stats-header': 4,
  'tasks-state': 5,
  'table-header': 5,
  summary: 6,
  selection: 7,
  killed: 8,
  'shared-kill': 8,
  group: 8,
  reaped: 9,
  'no-victim': 9,
};

const RECENT_KILLS = 64;

export class OomReportParser {
  private ctx: Ctx | null = null;
  private seq = 0;
  private lineNo = 0;
  private lastTime: OomTime = { uptimeSec: null, wall: null };
  /** Kills already emitted, newest last, so a late oom_reaper line can find its kill. */
  private recent: Kill[] = [];

  /** Feeds one line (or a pasted run of glued lines) and returns every event it completes. */
  feed(line: string, lineNo?: number): OomParserEvent[] {
    this.lineNo = lineNo ?? this.lineNo + 1;
    const out: OomParserEvent[] = [];
    for (const physical of line.split(/\r?\n/)) {
      for (const segment of splitGluedLine(physical)) {
        const s = stripPrefix(segment);
        // Other programs' syslog lines are not the kernel's, whatever they say.
        if (s.prefix.tag !== null && s.prefix.tag !== 'kernel') continue;
        // A /dev/kmsg record may carry several lines (escaped as \x0a).
        for (const text of s.text.split('\n')) this.handle(text, s.prefix, out);
      }
    }
    return out;
  }

  /** Closes the report in progress: emits its pending victim or its incomplete report. The parser can be fed again afterwards. */
  finish(): OomParserEvent[] {
    const out: OomParserEvent[] = [];
    this.close(out);
    return out;
  }

  /** Convenience for callers that only want kills: the kills completed by this line. */
  push(line: string): OomKillReport[] {
    return kills(this.feed(line));
  }

  /** Convenience: the kills completed by the end of input. */
  end(): OomKillReport[] {
    return kills(this.finish());
  }

  private handle(text: string, prefix: LinePrefix, out: OomParserEvent[]): void {
    const time: OomTime = { uptimeSec: prefix.uptimeSec, wall: prefix.wall };
    if (time.uptimeSec !== null || time.wall !== null) this.lastTime = time;
    const el = classifyLine(text);
    const ctx = this.ctx;
    if (!el) {
      if (!ctx) return;
      if (/\bKilled process\b/.test(text)) ctx.killCut = true;
      if (ctx.statsOpen !== null) {
        const kv = statsLine(text);
        if (kv) {
          const block = ctx.stats.get(ctx.statsOpen);
          if (block) block[kv[0]] = kv[1];
          ctx.lines.push(text.trim());
          return;
        }
      }
      if (ctx.columns) {
        const row = tableRow(text, ctx.columns);
        if (row) {
          ctx.tasks.push(toTask(row.pid, row.values, row.name));
          ctx.lines.push(text.trim());
        }
      }
      return;
    }
    const at = { line: this.lineNo, time: this.timeOr(time) };

    switch (el.kind) {
      case 'header':
        this.close(out);
        this.ctx = this.open();
        this.ctx.header = el;
        break;
      case 'cpuset':
      case 'invoker-cpu':
      case 'mem-info':
        // Only inside a report that has its header: the same lines accompany every kernel warning.
        if (!ctx || !ctx.header || ctx.rank > 1 || ctx.kills.length > 0) return;
        if (el.kind === 'invoker-cpu') ctx.invoker = el;
        else if (el.kind === 'cpuset') ctx.cpuset = el.cpuset;
        else ctx.memInfo = true;
        break;
      case 'task-in':
        this.enter(el, out, (c) => c.taskIn !== null).taskIn = el;
        break;
      case 'counter':
        this.enter(el, out, (c) => c.counters.some((k) => k.name === el.name)).counters.push(el);
        break;
      case 'stats-header': {
        const c = this.enter(el, out, (x) => x.stats.has(el.path));
        c.stats.set(el.path, el.inline ? { ...el.inline } : {});
        c.statsOpen = el.inline ? null : el.path;
        break;
      }
      case 'tasks-state':
        this.enter(el, out, (c) => c.tasks.length > 0);
        break;
      case 'table-header':
        this.enter(el, out, (c) => c.tasks.length > 0).columns = el.columns;
        break;
      case 'summary': {
        // journald may store the kill line before its summary: the same kill, not a new report.
        if (ctx && ctx.summary === null && ctx.kills.some((k) => k.report.pid === el.pid)) {
          ctx.summary = el;
          ctx.summaryAt = at;
          ctx.lines.push(text.trim());
          for (const k of ctx.kills) {
            const { reaped, groupKill } = k.report;
            k.report = { ...k.redo(), reaped, groupKill };
            out.push({ type: 'update', seq: k.seq, change: 'summary', report: structuredClone(k.report) });
          }
          return;
        }
        const c = this.enter(el, out, (x) => x.summary !== null);
        c.summary = el;
        c.summaryAt = at;
        break;
      }
      case 'selection': {
        const c = this.enter(el, out, (x) => x.selection !== null);
        c.selection = el;
        c.selectionAt = at;
        break;
      }
      case 'killed': {
        // Further kill lines belong to this report only under memory.oom.group.
        const member = ctx !== null && ctx.kills.length > 0 && ctx.group !== null;
        const c = member && ctx ? ctx : this.enter(el, out, (x) => x.kills.length > 0);
        c.lines.push(text.trim());
        c.rank = RANK.killed;
        this.emitKill(c, out, { pid: el.pid, comm: el.comm, killed: el, at, member, truncated: false, seenIn: 'kill-line' });
        return;
      }
      case 'shared-kill': {
        if (!ctx || ctx.kills.length === 0) return;
        ctx.lines.push(text.trim());
        this.emitKill(ctx, out, { pid: el.pid, comm: el.comm, killed: null, at, member: false, truncated: false, sharedWith: ctx.kills[0]?.report.pid ?? null, seenIn: 'kill-line' });
        return;
      }
      case 'group': {
        const c = ctx && ctx.kills.length > 0 ? ctx : this.enter(el, out, () => false);
        c.group = el.path;
        c.rank = RANK.group;
        c.lines.push(text.trim());
        for (const k of c.kills) {
          if (k.report.groupKill) continue;
          k.report.groupKill = true;
          k.report.lines = [...c.lines];
          out.push({ type: 'update', seq: k.seq, change: 'group-kill', report: structuredClone(k.report) });
        }
        return;
      }
      case 'reaped':
        this.reaped(el, text.trim(), at, out);
        return;
      case 'no-victim':
        if (ctx) ctx.lines.push(text.trim());
        this.close(out);
        return;
    }
    this.ctx?.lines.push(text.trim());
    if (this.ctx) this.ctx.rank = Math.max(this.ctx.rank, RANK[el.kind]);
    if (el.kind !== 'stats-header' && this.ctx) this.ctx.statsOpen = el.kind === 'counter' ? this.ctx.statsOpen : null;
  }

  /** The report this part belongs to: the current one, or a new headerless one when the part goes back in report order or repeats. */
  private enter(el: OomLine, out: OomParserEvent[], repeats: (c: Ctx) => boolean): Ctx {
    const rank = RANK[el.kind];
    const c = this.ctx;
    if (c && rank >= c.rank && !repeats(c)) return c;
    this.close(out);
    this.ctx = this.open();
    return this.ctx;
  }

  private open(): Ctx {
    return {
      firstLine: this.lineNo,
      killCut: false,
      rank: 0,
      header: null,
      invoker: null,
      cpuset: null,
      memInfo: false,
      taskIn: null,
      counters: [],
      stats: new Map(),
      statsOpen: null,
      columns: null,
      tasks: [],
      summary: null,
      summaryAt: null,
      selection: null,
      selectionAt: null,
      group: null,
      kills: [],
      lines: [],
      time: { ...this.lastTime },
    };
  }

  private timeOr(t: OomTime): OomTime {
    return t.uptimeSec !== null || t.wall !== null ? t : { ...this.lastTime };
  }

  private close(out: OomParserEvent[]): void {
    const c = this.ctx;
    this.ctx = null;
    if (!c || c.kills.length > 0) return;
    // Older kernels print the selection before the kill; a selection that no kill line followed is no kill.
    const pending = c.summary || c.killCut ? this.pendingVictim(c) : null;
    if (pending) {
      this.emitKill(c, out, { ...pending, killed: null, member: false, truncated: true, seenIn: c.killCut ? 'kill-line' : 'summary' });
      return;
    }
    const substance = c.header || c.taskIn || c.counters.length > 0 || c.stats.size > 0 || c.tasks.length > 0 || c.selection;
    if (substance) out.push({ type: 'incomplete', report: structuredClone(assembleReport(c, null, null, null, { line: c.firstLine, time: c.time }, {})) as OomIncompleteReport });
  }

  /** The victim named before the kill line: the selection line (older kernels) or the oom-kill summary. */
  private pendingVictim(c: Ctx): { pid: number; comm: string; at: { line: number; time: OomTime } } | null {
    if (c.selection && c.selectionAt) return { pid: c.selection.pid, comm: c.selection.comm, at: c.selectionAt };
    if (c.summary && c.summaryAt) return { pid: c.summary.pid, comm: c.summary.task, at: c.summaryAt };
    return null;
  }

  private emitKill(
    c: Ctx,
    out: OomParserEvent[],
    v: { pid: number; comm: string | null; killed: El<'killed'> | null; at: { line: number; time: OomTime }; member: boolean; truncated: boolean; sharedWith?: number | null; seenIn: OomKillReport['seenIn'] },
  ): Kill {
    const build = () => assembleReport(c, v.pid, v.comm, v.killed, v.at, { member: v.member, truncated: v.truncated, sharedWith: v.sharedWith ?? null, seenIn: v.seenIn }) as OomKillReport;
    const kill: Kill = { seq: ++this.seq, report: build(), redo: build };
    c.kills.push(kill);
    this.recent.push(kill);
    if (this.recent.length > RECENT_KILLS) this.recent.shift();
    out.push({ type: 'kill', seq: kill.seq, report: structuredClone(kill.report) });
    return kill;
  }

  private reaped(el: El<'reaped'>, line: string, at: { line: number; time: OomTime }, out: OomParserEvent[]): void {
    const info = { pid: el.pid, comm: el.comm, anonRssKb: el.anonRssKb, fileRssKb: el.fileRssKb, shmemRssKb: el.shmemRssKb };
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const k = this.recent[i];
      if (!k || k.report.pid !== el.pid || k.report.reaped) continue;
      k.report.reaped = info;
      k.report.lines = [...k.report.lines, line];
      out.push({ type: 'update', seq: k.seq, change: 'reaped', report: structuredClone(k.report) });
      return;
    }
    // The kill line was lost: the reaper line still proves the kill.
    const c = this.ctx && this.ctx.kills.length === 0 ? this.ctx : this.open();
    if (c !== this.ctx) {
      this.close(out);
      this.ctx = c;
    }
    const pending = this.pendingVictim(c);
    c.lines.push(line);
    const kill = this.emitKill(c, out, {
      pid: el.pid,
      comm: pending && pending.pid === el.pid ? pending.comm : el.comm,
      killed: null,
      at: pending && pending.pid === el.pid ? pending.at : at,
      member: false,
      truncated: true,
      seenIn: 'oom_reaper',
    });
    kill.report.reaped = info;
    const last = out[out.length - 1];
    if (last && last.type === 'kill') last.report.reaped = { ...info };
  }
}

function kills(events: OomParserEvent[]): OomKillReport[] {
  return events.flatMap((e) => (e.type === 'kill' ? [e.report] : []));
}
