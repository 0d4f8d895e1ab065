// One OOM report's parts, as the parser collects them while the lines arrive
// (Ctx), and how they become the OomKillReport it hands out: which memcg hit
// its limit, who the victim was, the task table rows.

import type { OomIncompleteReport, OomKillReport, OomTask, OomTime } from './report';
import type { OomLine } from './oom-lines';
import { cgroupOwner } from './cgroup-owner';

export type El<K extends OomLine['kind']> = Extract<OomLine, { kind: K }>;

export interface Kill {
  seq: number;
  report: OomKillReport;
  /** The report built again from its context (a summary that arrived after the kill line). */
  redo: () => OomKillReport;
}

/** One report while its lines arrive: the parts seen so far. */
export interface Ctx {
  firstLine: number;
  /** A "Killed process" line cut before its pid: a kill happened, the victim is the selected one. */
  killCut: boolean;
  rank: number;
  header: El<'header'> | null;
  invoker: El<'invoker-cpu'> | null;
  cpuset: string | null;
  memInfo: boolean;
  taskIn: El<'task-in'> | null;
  counters: El<'counter'>[];
  stats: Map<string, Record<string, number>>;
  statsOpen: string | null;
  columns: string[] | null;
  tasks: OomTask[];
  summary: El<'summary'> | null;
  summaryAt: { line: number; time: OomTime } | null;
  selection: El<'selection'> | null;
  selectionAt: { line: number; time: OomTime } | null;
  group: string | null;
  kills: Kill[];
  lines: string[];
  time: OomTime;
}

export function assembleReport(
  c: Ctx,
  pid: number | null,
  commIn: string | null,
  killed: El<'killed'> | null,
  at: { line: number; time: OomTime },
  opts: { member?: boolean; truncated?: boolean; sharedWith?: number | null; seenIn?: OomKillReport['seenIn'] },
): OomKillReport | OomIncompleteReport {
  const row = pid !== null ? c.tasks.find((t) => t.pid === pid) : undefined;
  const sel = c.selection;
  const sum = c.summary;
  const comm = pid === null ? null : (commIn ?? (sum?.pid === pid ? sum.task : null) ?? (sel?.pid === pid ? sel.comm : null) ?? row?.name ?? '');

  const { memcg, global, scope, source } = memcgOf(c, killed);
  const taskMemcg = sum?.taskMemcg ?? c.taskIn?.taskMemcg ?? null;
  const owner = cgroupOwner(taskMemcg ?? (global || memcg === 'unknown' ? null : memcg));
  const statsEntries = [...c.stats.entries()];
  const memory = c.counters.find((k) => k.name === 'memory');

  let selectedPid: number | null = null;
  let selectedScore: number | null = null;
  if (opts.sharedWith != null) selectedPid = opts.sharedWith;
  else if (pid === null) {
    // A selection that no kill line followed: who was chosen, not who died.
    selectedPid = sel?.pid ?? null;
    selectedScore = sel?.score ?? null;
  }
  else if (!opts.member && pid !== null) {
    selectedScore = sel?.score ?? null;
    const chosen = sel?.pid ?? sum?.pid ?? null;
    if (chosen !== null && chosen !== pid) selectedPid = chosen;
  }

  const hasScoreAdjColumn = c.columns?.includes('oom_score_adj') ?? false;
  return {
    pid,
    comm,
    selectedPid,
    selectedScore,
    global,
    constraint: sum?.constraint ?? null,
    memcg,
    scope,
    memcgSource: source,
    taskMemcg,
    totalVmKb: killed?.totalVmKb ?? null,
    anonRssKb: killed?.anonRssKb ?? null,
    fileRssKb: killed?.fileRssKb ?? null,
    shmemRssKb: killed?.shmemRssKb ?? null,
    uid: killed?.uid ?? (sum && sum.pid === pid ? sum.uid : null) ?? row?.uid ?? null,
    pgtablesKb: killed?.pgtablesKb ?? null,
    oomScoreAdj: killed?.oomScoreAdj ?? (row && hasScoreAdjColumn ? row.oomScoreAdj : null),
    invoker:
      c.header || c.invoker
        ? {
            comm: c.header?.comm ?? c.invoker?.comm ?? '',
            pid: c.invoker?.pid ?? null,
            gfpMask: c.header?.gfpMask ?? null,
            order: c.header?.order ?? null,
            oomScoreAdj: c.header?.oomScoreAdj ?? null,
          }
        : null,
    memcgUsage: memory ? { usageKb: memory.usageKb, limitKb: memory.limitKb, failcnt: memory.failcnt } : null,
    memcgStats: statsEntries[0] ? { ...statsEntries[0][1] } : null,
    tasks: c.tasks.map((t) => ({ ...t })),
    reaped: null,
    groupKill: Boolean(opts.member) || c.group !== null,
    containerId: owner.containerId,
    podUid: owner.podUid,
    qosClass: owner.qosClass,
    time: { ...at.time },
    lines: [...c.lines],
    sourceLine: pid === null ? c.firstLine : at.line,
    truncated: Boolean(opts.truncated),
    ...(pid !== null ? { seenIn: opts.seenIn ?? 'kill-line' } : {}),
    headerMissing: c.header === null,
    memcgStatsByCgroup: Object.fromEntries(statsEntries.map(([k, v]) => [k, { ...v }])),
    memcgCounters: c.counters.map((k) => ({ name: k.name, usageKb: k.usageKb, limitKb: k.limitKb, failcnt: k.failcnt })),
    runtime: owner.runtime,
    cpuset: sum?.cpuset ?? c.cpuset,
  } as OomKillReport | OomIncompleteReport;
}

/** Which limit was hit, from the strongest evidence the report kept. */
type MemcgSource = 'summary' | 'task-in' | 'stats' | null;

function memcgOf(c: Ctx, killed: El<'killed'> | null): { memcg: string; global: boolean; scope: 'memcg' | 'global' | 'unknown'; source: MemcgSource } {
  const sum = c.summary;
  // The first stats block printed is the OOM memcg's; used only when nothing names the limit.
  const firstStats = [...c.stats.keys()][0] ?? null;
  const fromStats = (): { memcg: string; source: MemcgSource } => (firstStats ? { memcg: firstStats, source: 'stats' } : { memcg: 'unknown', source: null });
  if (sum) {
    if (sum.oomMemcg) return { memcg: sum.oomMemcg, global: false, scope: 'memcg', source: 'summary' };
    if (sum.globalOom || (sum.constraint && sum.constraint !== 'CONSTRAINT_MEMCG')) return { memcg: 'global', global: true, scope: 'global', source: null };
  }
  if (c.taskIn) {
    // Alibaba Cloud Linux prints "limit of host" for a whole-instance OOM.
    if (c.taskIn.limitMemcg === 'host') return { memcg: 'global', global: true, scope: 'global', source: null };
    return { memcg: c.taskIn.limitMemcg, global: false, scope: 'memcg', source: 'task-in' };
  }
  const reason = killed?.reason ?? c.selection?.reason ?? null;
  if (reason && /^memory cgroup/i.test(reason)) return { ...fromStats(), global: false, scope: 'memcg' };
  if (reason && /^out of memory/i.test(reason)) return { memcg: 'global', global: true, scope: 'global', source: null };
  if (sum?.constraint === 'CONSTRAINT_MEMCG' || c.counters.length > 0 || firstStats) return { ...fromStats(), global: false, scope: 'memcg' };
  if (c.memInfo) return { memcg: 'global', global: true, scope: 'global', source: null };
  return { memcg: 'unknown', global: false, scope: 'unknown', source: null };
}

const OOM_ADJ_MAX = 17; // legacy oom_adj range is -17..15; the kernel scales it by 1000/17

export function toTask(pid: number, v: Record<string, number>, name: string): OomTask {
  const has = (k: string) => Object.prototype.hasOwnProperty.call(v, k);
  const get = (k: string) => (has(k) ? (v[k] ?? null) : null);
  const oomAdj = get('oom_adj');
  const scoreAdj = get('oom_score_adj') ?? (oomAdj !== null ? Math.trunc((oomAdj * 1000) / OOM_ADJ_MAX) : 0);
  const task: OomTask = {
    pid,
    uid: get('uid'),
    tgid: get('tgid'),
    totalVmPages: get('total_vm'),
    rssPages: get('rss'),
    rssAnonPages: get('rss_anon'),
    rssFilePages: get('rss_file'),
    rssShmemPages: get('rss_shmem'),
    pgtablesBytes: get('pgtables_bytes'),
    swapentsPages: get('swapents'),
    oomScoreAdj: scoreAdj,
    name,
  };
  if (has('nr_ptes')) task.nrPtes = get('nr_ptes');
  if (has('nr_pmds')) task.nrPmds = get('nr_pmds');
  if (oomAdj !== null) task.oomAdj = oomAdj;
  return task;
}
