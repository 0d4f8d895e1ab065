// Kernel-log follower: streams the host's kernel log from the run's start
// (/dev/kmsg, `dmesg -w` or `journalctl -k -f`, whichever the probe found),
// emits every line as `kernel-line` and every completed OOM report as `oom-kill`
// (parsed by the shared OOM report parser), on the run's host clock.
//
// Start and clock: the remote script writes a marker record into /dev/kmsg
// ("oomlab: run <id> start <nonce> <epoch>", as root) right after it reads the
// host's $EPOCHREALTIME. The kernel stamps that record with its own clock, so
// when the marker comes back, epoch - stamp is the exact offset between kernel
// timestamps and the host's wall clock (the sampler's clock), and everything
// before the marker (kmsg and dmesg replay the whole buffer) is dropped.
// Without root (no marker), /proc/uptime read together with $EPOCHREALTIME gives
// the offset (10 ms resolution) and lines older than that uptime are dropped.

import { randomBytes } from 'node:crypto';
import type { OomKillReport } from './report';
import { asRoot, Script, sh } from '../ssh/quote';
import type { ExitInfo, RemoteProcess } from '../ssh/transport';
import type { EmitEvent, RemoteContext } from '../remote';
import { OomReportParser } from './oom-parser';
import { stripPrefix } from './prefix';

export type KernelLogSource = 'kmsg' | 'dmesg' | 'journalctl';

/** What the follower needs from the shared OOM report parser. */
export interface ReportParserLike {
  /** One log line in; the reports it completed out. */
  push(line: string): OomKillReport[];
  /** Complete whatever report is pending (the log went quiet). */
  flush?(): OomKillReport[];
}

export interface FollowerOptions {
  /** Default: the first of facts.kernelLog. */
  source?: KernelLogSource;
  /** Victim -> workload id, e.g. target.workloadOfCgroup(report.taskMemcg) or a pid lookup. */
  resolveWorkload?: (report: OomKillReport) => string | null;
  /** Run id written into the start marker line. */
  runId: string;
  /** The OOM report parser; default: the shared kernel parser. */
  parser?: ReportParserLike;
  /** Idle time after which a report cut short is closed (default 2 s). Kills do not wait for it: the parser emits a kill on its "Killed process" line; closing early would split a report whose lines arrive slowly. */
  flushAfterMs?: number;
  /** false: read only, never write the start marker into /dev/kmsg (`oomlab kmsg --follow`); the clock comes from /proc/uptime. */
  marker?: boolean;
  /** false: run the reader as the login user, not through asRoot (it can read the log as it is). */
  privileged?: boolean;
}

export interface FollowerHandle {
  readonly source: KernelLogSource;
  /** Resolves once the follower is positioned at the run start (it saw its own start marker, or the time cut). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
  readonly exited: Promise<void>;
}

function sourceCommand(source: KernelLogSource): string {
  switch (source) {
    case 'kmsg':
      return 'cat /dev/kmsg';
    case 'dmesg':
      return 'dmesg -w';
    case 'journalctl':
      // -n 50: the marker may be written just before journalctl starts following.
      return 'journalctl -k -f -n 50 -o short-monotonic --no-pager';
  }
}

/** The remote side: source in the background, a watcher that kills it on EOF, the clock line and (start: 'marker') the marker. */
export function followerScript(source: KernelLogSource, runId: string, nonce: string, start: 'marker' | 'clock' | 'none' = 'marker'): string {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(runId)) throw new Error(`follower: bad run id ${JSON.stringify(runId)}`);
  const clockAndMarker = `t=$EPOCHREALTIME; read -r up _ < /proc/uptime
printf '@oomlab:%s clock %s %s\\n' "$2" "$t" "$up"
t=$EPOCHREALTIME
[ "$3" = marker ] && printf '<5>oomlab: run %s start %s %s\\n' "$1" "$2" "$t" > /dev/kmsg 2>/dev/null && printf '@oomlab:%s marker %s\\n' "$2" "$t" || printf '@oomlab:%s nomarker\\n' "$2"`;
  return sh`N=${nonce}
exec 3<&0 </dev/null
LC_ALL=C ${new Script(sourceCommand(source))} &
sp=$!
( while read -r _ <&3; do :; done; kill -s KILL $sp 2>/dev/null ) &
wp=$!
if [ ${start} = none ]; then :
elif command -v bash >/dev/null 2>&1; then
  bash -c ${clockAndMarker} oomlab-clock ${runId} "$N" ${start}
else
  read -r up _ < /proc/uptime; printf '@oomlab:%s clock %s %s\\n' "$N" "$(date +%s.%N)" "$up"
  printf '@oomlab:%s nomarker\\n' "$N"
fi
wait $sp; st=$?
kill $wp 2>/dev/null
printf '@oomlab:%s source-exit %s\\n' "$N" "$st"`;
}

/** A kernel log line normalised to dmesg's "[  uptime] text" (kmsg records converted; continuation lines dropped). */
export function normaliseKernelLine(line: string, source: KernelLogSource): { raw: string; uptimeSec: number | null; text: string; seq: number | null }[] {
  if (source === 'kmsg') {
    if (line.startsWith(' ')) return []; // kmsg dictionary continuation (" SUBSYSTEM=...")
    const m = /^(\d+),(\d+),(\d+),[^;]*;(.*)$/.exec(line);
    if (!m) return [];
    const up = Number(m[3]) / 1e6;
    const stamp = `[${up.toFixed(6).padStart(12)}]`;
    const body = m[4]!.replace(/\\x([0-9a-f]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    const seq = Number(m[2]);
    return body.split('\n').map((text) => ({ raw: `${stamp} ${text}`, uptimeSec: up, text, seq }));
  }
  const s = stripPrefix(line);
  return [{ raw: line, uptimeSec: s.prefix.uptimeSec, text: s.text, seq: null }];
}

/** The shared OOM report parser, completing a pending report when the log goes quiet. */
export function defaultReportParser(): ReportParserLike {
  const p = new OomReportParser();
  return { push: (line) => p.push(line), flush: () => p.end() };
}

export function startKernelFollower(ctx: RemoteContext, opts: FollowerOptions, onEvent: EmitEvent): FollowerHandle {
  const { transport, facts, clock } = ctx;
  const source = opts.source ?? facts.kernelLog[0];
  if (!source) throw new Error(`${transport.label}: the kernel log cannot be read (the probe found no kmsg, dmesg or journalctl access)`);
  const parser = opts.parser ?? defaultReportParser();
  const flushAfterMs = opts.flushAfterMs ?? 2000;
  const nonce = randomBytes(8).toString('hex');
  const marker = `@oomlab:${nonce} `;
  const startText = `oomlab: run ${opts.runId} start ${nonce} `;

  // Kernel uptime (ms) -> host epoch ms.
  let offsetMs: number | null = null;
  // 'marker': drop everything until our marker record comes back; 'cut': drop lines older than cutUptime.
  let mode: 'marker' | 'cut' | null = null;
  let cutUptime = 0;
  let positioned = false;
  let lastUptime = -1;
  let lastSeq = -1;
  let restarts = 0;
  let stopped = false;
  let flushTimer: NodeJS.Timeout | null = null;

  let resolveReady!: () => void;
  let rejectReady!: (e: Error) => void;
  const ready = new Promise<void>((res, rej) => {
    resolveReady = res;
    rejectReady = rej;
  });
  ready.catch(() => {});
  let readyTimer: NodeJS.Timeout | null = null;

  const tOf = (uptimeSec: number | null): number => {
    if (uptimeSec === null || offsetMs === null) return clock.now();
    return clock.toRunTime(uptimeSec * 1000 + offsetMs);
  };

  const emitReports = (reports: OomKillReport[]) => {
    for (const report of reports) {
      const workload = opts.resolveWorkload?.(report) ?? null;
      onEvent({ kind: 'oom-kill', report, workload, t: tOf(report.time.uptimeSec) });
    }
  };

  const position = () => {
    if (positioned) return;
    positioned = true;
    if (readyTimer) clearTimeout(readyTimer);
    resolveReady();
  };

  const onKernelLine = (line: string) => {
    const records = normaliseKernelLine(line, source);
    // A restarted kmsg reader replays the buffer: skip records already seen.
    if (records[0]?.seq != null) {
      if (records[0].seq <= lastSeq) return;
      lastSeq = records[0].seq;
    }
    for (const l of records) {
      if (l.text.startsWith(startText)) {
        // Our marker: its kernel stamp and the epoch inside give the exact offset.
        const epoch = Number(l.text.slice(startText.length).trim()) * 1000;
        if (l.uptimeSec !== null && Number.isFinite(epoch)) offsetMs = epoch - l.uptimeSec * 1000;
        if (l.uptimeSec !== null) lastUptime = l.uptimeSec;
        position();
        continue; // the marker is ours, not the kernel's
      }
      if (mode === 'cut') {
        if (l.uptimeSec !== null && l.uptimeSec < cutUptime) continue;
      } else if (!positioned) continue;
      // A restarted dmesg/journalctl would replay: keep kernel time moving forward.
      if (l.uptimeSec !== null) {
        if (l.uptimeSec < lastUptime - 1e-6) continue;
        lastUptime = l.uptimeSec;
      }
      onEvent({ kind: 'kernel-line', raw: l.raw, t: tOf(l.uptimeSec) });
      emitReports(parser.push(l.raw));
      if (parser.flush) {
        if (flushTimer) clearTimeout(flushTimer);
        flushTimer = setTimeout(() => {
          flushTimer = null;
          if (!stopped) emitReports(parser.flush!());
        }, flushAfterMs);
      }
    }
  };

  const useCut = () => {
    mode = 'cut';
    position();
  };

  const onMarker = (rest: string) => {
    const [what, ...args] = rest.split(' ');
    if (what === 'clock') {
      const epochMs = Number(args[0]) * 1000;
      const up = Number(args[1]);
      if (offsetMs === null && Number.isFinite(epochMs) && Number.isFinite(up)) offsetMs = epochMs - up * 1000;
      if (Number.isFinite(up)) cutUptime = up;
    } else if (what === 'marker') {
      if (positioned) return;
      mode = 'marker';
      readyTimer = setTimeout(() => {
        if (positioned) return;
        onEvent({ kind: 'warning', message: `kernel log on ${transport.label}: start marker not seen; following from uptime ${cutUptime}`, t: clock.now() });
        useCut();
      }, 3000);
    } else if (what === 'nomarker') {
      // Not allowed to write /dev/kmsg: start from the uptime read with the clock.
      useCut();
    }
  };

  // `cat /dev/kmsg` fails with EPIPE when the ring buffer overwrites what it had
  // not read yet (a busy log); then it is restarted, and the seq check above drops
  // the replayed records. Other sources are restarted the same way if they die.
  const MAX_RESTARTS = 20;
  let proc: RemoteProcess;
  let linesThisRun = 0;
  let overtaken = false;
  const launch = (first: boolean): Promise<ExitInfo> => {
    linesThisRun = 0;
    overtaken = false;
    const script = followerScript(source, opts.runId, nonce, !first ? 'none' : opts.marker === false ? 'clock' : 'marker');
    proc = transport.stream(opts.privileged === false ? script : asRoot(script, facts.root), {
      onLine: (line, fd) => {
        if (fd === 'stderr') {
          if (/Broken pipe/.test(line)) overtaken = true; // kmsg's EPIPE
          else if (!stopped && line.trim()) onEvent({ kind: 'warning', message: `kernel log on ${transport.label}: ${line}`, t: clock.now() });
          return;
        }
        if (line.startsWith(marker)) return onMarker(line.slice(marker.length));
        linesThisRun++;
        onKernelLine(line);
      },
    });
    return proc.exit;
  };
  const exited = (async () => {
    let info = await launch(true);
    // Restart only a reader that was working (it delivered lines), never one that cannot start.
    while (!stopped && !info.error && (linesThisRun > 0 || overtaken) && restarts < MAX_RESTARTS) {
      restarts++;
      await new Promise((r) => setTimeout(r, 50));
      if (stopped) break;
      if (restarts === 1) onEvent({ kind: 'warning', message: `kernel log on ${transport.label}: ${source} reader restarted (the ring buffer overtook it); replayed lines are skipped`, t: clock.now() });
      info = await launch(false);
    }
    if (flushTimer) clearTimeout(flushTimer);
    if (readyTimer) clearTimeout(readyTimer);
    if (parser.flush) emitReports(parser.flush());
    if (!positioned) rejectReady(new Error(`kernel log follower on ${transport.label} ended before it started (${info.error ?? `exit ${info.code ?? info.signal}`})`));
  })();
  return {
    source,
    ready,
    exited,
    stop: async () => {
      stopped = true;
      proc.close();
      await exited;
    },
  };
}

