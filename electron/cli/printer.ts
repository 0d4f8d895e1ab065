// Turns LabEvents into terminal lines for `oomlab run` and `oomlab replay`:
// step titles and narration, what the lab did, each OOM kill, workload exits,
// ✓/✗ per expectation. On a TTY a live status line (usage, limit, failcnt)
// is redrawn in place, at most 10 times a second. Every string of an event
// (host, workload, kernel and recording text) is made terminal-safe first.

import type { EventOf, LabEvent, Locale, Localized } from '../lab/events';
import { formatBytes } from '../lab/scenario/units';
import { terminalSafeDeep } from './terminal-text';

export interface PrinterOptions {
  write: (text: string) => void;
  locale: Locale;
  /** The live status line (a terminal that can rewrite a line). */
  tty: boolean;
  /** Colours; default: as tty. Off with NO_COLOR (terminal-caps.ts). */
  colour?: boolean;
  /** Number of steps, for "step 1/2" (unknown in replays of cut-off runs). */
  totalSteps?: number;
  /** Print every kernel log line (replay --verbose). */
  kernelLines?: boolean;
}

const LIVE_MS = 100;
/** Fields printed as several lines on purpose; newlines anywhere else are shown as \x0a. */
const MULTILINE = new Set(['narration']);

export class Printer {
  private limitBytes: number | null = null;
  private lastLive = 0;
  private liveShown = false;
  private latest: EventOf<'sample'> | null = null;

  constructor(private readonly o: PrinterOptions) {}

  private text(l: Localized | undefined): string {
    if (!l) return '';
    return l[this.o.locale] ?? l.en;
  }

  private c(code: string, s: string): string {
    return (this.o.colour ?? this.o.tty) ? `\x1b[${code}m${s}\x1b[0m` : s;
  }

  private line(s: string): void {
    this.clearLive();
    this.o.write(s + '\n');
  }

  private clearLive(): void {
    if (this.liveShown) {
      this.o.write('\r\x1b[K');
      this.liveShown = false;
    }
  }

  private stamp(t: number): string {
    return this.c('2', `[${(t / 1000).toFixed(2).padStart(7)}s]`);
  }

  /** Ends the live line (call before exiting). */
  finish(): void {
    this.clearLive();
  }

  print(event: LabEvent): void {
    const e = terminalSafeDeep(event, MULTILINE);
    switch (e.kind) {
      case 'run-start': {
        this.limitBytes = e.target.limitBytes;
        this.line(this.c('1', `▶ ${this.text(e.scenario.title)}`) + this.c('2', `  (${e.scenario.id}, run ${e.runId})`));
        this.line(
          `  host ${e.host.host} · kernel ${e.host.kernel} · ${e.target.kind} ${e.target.path ?? ''} · limit ${formatBytes(e.target.limitBytes)} · swap ${e.target.swapPinned ? 'pinned' : 'allowed'} · started ${e.startedAt}`,
        );
        return;
      }
      case 'step-start': {
        const of = this.o.totalSteps ? `/${this.o.totalSteps}` : '';
        this.line('');
        this.line(this.c('1;36', `── Step ${e.index + 1}${of}: ${this.text(e.title)}`));
        const narration = this.text(e.narration).trimEnd();
        if (narration) this.line(narration.split('\n').map((l) => (l ? `   ${l}` : '')).join('\n') + '\n');
        return;
      }
      case 'step-end':
        if (e.outcome !== 'ok' && e.outcome !== 'failed') this.line(`  ${this.stamp(e.t)} ${this.c('31', `step ${e.outcome}`)}${e.message ? `: ${e.message}` : ''}`);
        return;
      case 'action':
        this.line(`  ${this.stamp(e.t)} ${e.text}`);
        return;
      case 'workload-start':
        this.line(
          `  ${this.stamp(e.t)} ${e.workload} started: pid ${e.pid} in ${e.cgroup}${e.verifiedMember ? ' (membership verified)' : this.c('33', ' (membership NOT verified)')}${e.note ? ` — ${e.note}` : ''}`,
        );
        return;
      case 'workload-output':
        this.line(`  ${this.stamp(e.t)} ${this.c('2', `${e.workload}|`)} ${e.line}`);
        return;
      case 'workload-exit': {
        const how = e.signal ? `killed by SIG${e.signal}` : e.code !== null ? `exited with code ${e.code}` : 'ended (channel lost)';
        const why = e.oomKilled ? this.c('31', ' — OOM-killed') : e.timeCapHit ? this.c('33', ' — its time cap ran out') : e.stopped ? ' (stopped by the lab)' : '';
        this.line(`  ${this.stamp(e.t)} ${e.workload} (pid ${e.pid}) ${how}${why}`);
        return;
      }
      case 'oom-kill': {
        const r = e.report;
        const rss = [r.anonRssKb !== null ? `anon-rss ${formatBytes(r.anonRssKb * 1024)}` : null, r.fileRssKb !== null ? `file-rss ${formatBytes(r.fileRssKb * 1024)}` : null]
          .filter(Boolean)
          .join(', ');
        const usage = r.memcgUsage ? ` · memcg usage ${r.memcgUsage.usageKb} kB, limit ${r.memcgUsage.limitKb} kB, failcnt ${r.memcgUsage.failcnt}` : '';
        this.line(
          `  ${this.stamp(e.t)} ${this.c('1;31', '☠ OOM kill')}: pid ${r.pid} (${r.comm})${e.workload ? ` of ${this.c('1', e.workload)}` : ''}${rss ? ` — ${rss}` : ''}${usage}` +
            `\n              memcg ${r.memcg}${r.taskMemcg ? `, task in ${r.taskMemcg}` : ''}${r.oomScoreAdj !== null ? `, oom_score_adj ${r.oomScoreAdj}` : ''}`,
        );
        return;
      }
      case 'expectation': {
        const mark = e.passed ? this.c('32', '✓') : this.c('31', '✗');
        this.line(`  ${mark} ${e.text} ${this.c('2', `— ${e.observed}`)}`);
        return;
      }
      case 'status':
        this.line(`  ${this.stamp(e.t)} ${e.subject} ${e.name}: ${e.phase}${e.reason ? ` (${e.reason})` : ''}${e.exitCode !== null ? `, exit ${e.exitCode}` : ''}`);
        return;
      case 'pause':
        this.line(`  ${this.stamp(e.t)} ${this.c('1;36', '⏸ paused')}${e.frozen ? ` (frozen: ${e.how})` : ''}${e.warning ? ` ${this.c('33', `— ${e.warning}`)}` : ''}`);
        return;
      case 'resume':
        this.line(`  ${this.stamp(e.t)} ${this.c('1;36', '▶ resumed')} after ${(e.pausedMs / 1000).toFixed(1)} s`);
        return;
      case 'warning':
        this.line(`  ${this.stamp(e.t)} ${this.c('33', `warning: ${e.message}`)}`);
        return;
      case 'error':
        this.line(`  ${this.stamp(e.t)} ${this.c('31', `error: ${e.message}`)}`);
        return;
      case 'run-end': {
        this.line('');
        const secs = (e.t / 1000).toFixed(1);
        if (e.outcome === 'passed') this.line(this.c('1;32', `✔ passed`) + ` in ${secs} s`);
        else this.line(this.c('1;31', `✘ ${e.outcome}`) + ` after ${secs} s${e.reason ? `: ${e.reason}` : ''}`);
        return;
      }
      case 'kernel-line':
        if (this.o.kernelLines) this.line(`  ${this.stamp(e.t)} ${this.c('2', `kernel| ${e.raw}`)}`);
        return;
      case 'sample':
        if (e.cgroup === 'target') this.live(e);
        return;
      case 'processes':
        return;
    }
  }

  private live(s: EventOf<'sample'>): void {
    this.latest = s;
    if (!this.o.tty) return;
    const now = Date.now();
    if (now - this.lastLive < LIVE_MS) return;
    this.lastLive = now;
    const limit = s.limitBytes ?? this.limitBytes;
    const pct = limit ? ` (${((s.usageBytes / limit) * 100).toFixed(0)}%)` : '';
    const text =
      `  ${this.stamp(s.t)} usage ${formatBytes(s.usageBytes)}${pct} / ${formatBytes(limit)} · working set ${formatBytes(s.workingSetBytes)} · ` +
      `cache ${formatBytes(s.cacheBytes)} · failcnt ${s.failcnt}${s.oomKills !== null ? ` · oom_kill ${s.oomKills}` : ''}${s.underOom ? this.c('31', ' · under_oom') : ''}`;
    this.o.write(`\r\x1b[K${this.c('2', text)}`);
    this.liveShown = true;
  }

  /** The last target sample seen (for a closing summary line). */
  get lastSample(): EventOf<'sample'> | null {
    return this.latest;
  }
}
