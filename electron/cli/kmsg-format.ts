// How `oomlab kmsg` prints reports: the --json object and the readable block.
// Every value comes from a kernel log and is made terminal-safe.

import type { AnyReport } from '../lab/kernel/host-log';
import { terminalSafe } from './terminal-text';

/** The --json shape: stable field names other tools can rely on. */
export function toJson(r: AnyReport) {
  return {
    kind: r.pid === null ? 'incomplete' : 'kill',
    pid: r.pid,
    comm: r.comm,
    memcg: r.memcg,
    taskMemcg: r.taskMemcg,
    global: r.global,
    scope: r.scope ?? (r.global ? 'global' : 'unknown'),
    memcgSource: r.memcgSource ?? null,
    constraint: r.constraint,
    anonRssKb: r.anonRssKb,
    fileRssKb: r.fileRssKb,
    shmemRssKb: r.shmemRssKb,
    totalVmKb: r.totalVmKb,
    uid: r.uid,
    pgtablesKb: r.pgtablesKb,
    oomScoreAdj: r.oomScoreAdj,
    selectedPid: r.selectedPid,
    selectedScore: r.selectedScore,
    containerId: r.containerId,
    podUid: r.podUid,
    qosClass: r.qosClass,
    runtime: r.runtime ?? null,
    groupKill: r.groupKill,
    time: r.time,
    invoker: r.invoker,
    memcgUsage: r.memcgUsage,
    reaped: r.reaped,
    truncated: r.truncated ?? false,
    seenIn: r.pid === null ? null : (r.seenIn ?? 'kill-line'),
    headerMissing: r.headerMissing ?? false,
    line: r.sourceLine ?? null,
  };
}

/** `decorate` adds lines to each block (the owner, with --host). */
export function human(reports: AnyReport[], source: string, decorate: (text: string, i: number) => string = (t) => t): string {
  const kills = reports.filter((r) => r.pid !== null).length;
  if (reports.length === 0) return `No OOM kills found in ${source === '-' ? 'standard input' : source}.\n`;
  const blocks = reports.map((r, i) => decorate(block(r, i + 1, reports.length), i));
  const summary = `${kills} OOM kill${kills === 1 ? '' : 's'}${reports.length > kills ? `, ${reports.length - kills} report${reports.length - kills === 1 ? '' : 's'} without a victim` : ''}.`;
  return `${blocks.join('\n')}\n${summary}\n`;
}

function when(r: AnyReport): string {
  const parts: string[] = [];
  if (r.time.wall) parts.push(r.time.wall);
  if (r.time.uptimeSec !== null) parts.push(`${r.time.uptimeSec.toFixed(6)} s after boot`);
  return parts.join(', ');
}

function kb(n: number | null): string | null {
  return n === null ? null : `${n} kB`;
}

export function block(r: AnyReport, n: number, total: number): string {
  const rows: Array<[string, string | null]> = [];
  const title = r.pid === null ? `OOM report ${n}/${total} without a victim (the log ends or moves on before the kill line)` : `OOM kill ${n}/${total}`;
  const where = [r.sourceLine ? `line ${r.sourceLine}` : null, when(r) || null].filter(Boolean).join(', ');

  if (r.pid !== null) {
    const extra = [r.oomScoreAdj !== null ? `oom_score_adj ${r.oomScoreAdj}` : null, r.uid !== null ? `uid ${r.uid}` : null].filter(Boolean).join(', ');
    rows.push(['killed', `pid ${r.pid} (${r.comm})${extra ? `, ${extra}` : ''}`]);
  }
  const score = r.selectedScore !== null ? ` score ${r.selectedScore}` : '';
  if (r.selectedPid !== null && r.pid === null) rows.push(['selected', `pid ${r.selectedPid}${score}; no "Killed process" line followed: a selection, not a kill`]);
  else if (r.selectedPid !== null) rows.push(['selected', `pid ${r.selectedPid}${score}; the kernel killed pid ${r.pid} instead`]);
  rows.push([
    'limit hit',
    r.global
      ? 'global (the whole machine ran out of memory)'
      : r.memcg !== 'unknown'
        ? `${r.memcg} (memory cgroup${r.memcgSource === 'stats' ? '; path from its stats block, the line naming the limit is missing' : ''})`
        : r.scope === 'memcg'
          ? 'a memory cgroup (its path is not in the log)'
          : 'unknown (the log does not say which limit)',
  ]);
  if (r.constraint) rows.push(['constraint', r.constraint]);
  if (r.taskMemcg) rows.push(['victim in', r.taskMemcg]);
  if (r.podUid) rows.push(['pod', `${r.podUid}${r.qosClass ? ` (${r.qosClass})` : ''}`]);
  if (r.containerId) rows.push(['container', `${r.containerId}${r.runtime ? ` (${r.runtime})` : ''}`]);
  const mem = [
    r.anonRssKb !== null ? `anon-rss ${kb(r.anonRssKb)}` : null,
    r.fileRssKb !== null ? `file-rss ${kb(r.fileRssKb)}` : null,
    r.shmemRssKb !== null ? `shmem-rss ${kb(r.shmemRssKb)}` : null,
    r.totalVmKb !== null ? `total-vm ${kb(r.totalVmKb)}` : null,
  ].filter(Boolean);
  if (mem.length) rows.push(['memory', mem.join(', ')]);
  if (r.memcgUsage) rows.push(['memcg', `usage ${r.memcgUsage.usageKb} kB of limit ${r.memcgUsage.limitKb} kB, failcnt ${r.memcgUsage.failcnt}`]);
  if (r.invoker) {
    const inv = r.invoker;
    const bits = [inv.gfpMask ? `gfp_mask=${inv.gfpMask}` : null, inv.order !== null ? `order=${inv.order}` : null, inv.oomScoreAdj !== null ? `oom_score_adj=${inv.oomScoreAdj}` : null].filter(Boolean);
    rows.push(['invoked by', `${inv.comm}${inv.pid !== null ? ` (pid ${inv.pid})` : ''}${bits.length ? `: ${bits.join(', ')}` : ''}`]);
  }
  if (r.reaped) rows.push(['reaped', `oom_reaper freed it: anon-rss now ${r.reaped.anonRssKb ?? '?'} kB`]);
  if (r.groupKill) rows.push(['group', 'killed with its whole cgroup (memory.oom.group)']);
  if (r.pid !== null && r.seenIn === 'oom_reaper') rows.push(['note', 'no "Killed process" line: the kill is seen in its oom_reaper line']);
  else if (r.pid !== null && r.seenIn === 'summary') rows.push(['note', 'no "Killed process" line: the kill is seen in its oom-kill summary']);
  else if (r.truncated) rows.push(['note', 'the kill line is cut short; the victim is the one the kernel selected']);
  else if (r.headerMissing && r.pid !== null) rows.push(['note', 'no "invoked oom-killer" header for this kill (rate-limited or cut)']);

  const width = Math.max(...rows.map(([k]) => k.length));
  // Every value comes from the log: made terminal-safe, so a crafted log cannot drive the terminal.
  return [`${title}${where ? ` — ${terminalSafe(where)}` : ''}`, ...rows.filter(([, v]) => v !== null).map(([k, v]) => `  ${k.padEnd(width)}  ${terminalSafe(v ?? '')}`)].join('\n') + '\n';
}
