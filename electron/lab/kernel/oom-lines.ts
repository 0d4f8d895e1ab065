// Recognises the lines an OOM report is made of, across kernels 2.6.32-6.x.
// Each recogniser works on one message with its prefix already stripped and
// returns a typed element; the report parser decides what belongs together.
// comm values are taken between the first "(" after the pid and the last ")"
// before the text that follows them, so names with spaces, slashes, brackets or
// parentheses ("w/a (b) [c]", "(resolved)", "runc:[2:INIT]") survive.

export type OomLine =
  | { kind: 'header'; comm: string; gfpMask: string | null; order: number | null; oomScoreAdj: number | null; oomAdj: number | null }
  | { kind: 'cpuset'; comm: string; cpuset: string }
  | { kind: 'invoker-cpu'; pid: number; comm: string }
  | { kind: 'mem-info' }
  | { kind: 'task-in'; taskMemcg: string; limitMemcg: string }
  | { kind: 'counter'; name: string; usageKb: number; limitKb: number; failcnt: number }
  | { kind: 'stats-header'; path: string; inline: Record<string, number> | null }
  | { kind: 'tasks-state' }
  | { kind: 'table-header'; columns: string[] }
  | {
      kind: 'summary';
      constraint: string | null;
      cpuset: string | null;
      oomMemcg: string | null;
      taskMemcg: string | null;
      globalOom: boolean;
      task: string;
      pid: number;
      uid: number | null;
    }
  | { kind: 'selection'; reason: string | null; pid: number; comm: string; score: number }
  | { kind: 'shared-kill'; pid: number; comm: string }
  | { kind: 'group'; path: string }
  | {
      kind: 'killed';
      reason: string | null;
      pid: number;
      comm: string | null;
      totalVmKb: number | null;
      anonRssKb: number | null;
      fileRssKb: number | null;
      shmemRssKb: number | null;
      uid: number | null;
      pgtablesKb: number | null;
      oomScoreAdj: number | null;
    }
  | { kind: 'reaped'; pid: number; comm: string; anonRssKb: number | null; fileRssKb: number | null; shmemRssKb: number | null }
  | { kind: 'no-victim' };

/** Numbers as printed; some pastes carry thousands separators ("26,184,840kB"). */
export function num(s: string | undefined): number | null {
  if (s === undefined) return null;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

function kbField(rest: string, name: string): number | null {
  const m = new RegExp(String.raw`(?:^|[\s,])${name}:\s*(-?[\d,]+)\s*kB`, 'i').exec(rest);
  return m ? num(m[1]) : null;
}

const HEADER = /^(.*?) invoked oom-killer: (.*)$/;
const CPUSET = /^(.*) cpuset=(\S*) mems_allowed=\S*$/;
// "CPU: 0 UID: 0 PID: 20885 Comm: stress Not tainted 6.18..." / 2.6.32 "Pid: 1234, comm: java Not tainted ..."
const INVOKER_CPU = /^CPU: \d+ (?:UID: \d+ )?PID: (\d+) Comm: (.*?) (?:Not tainted|Tainted:|Kdump:)/;
const INVOKER_PID = /^Pid: (\d+), comm: (.*?) (?:Not tainted|Tainted:)/;
const TASK_IN = /^Task in (.+) killed as a result of limit of (.+)$/;
const COUNTER = /^(memory|memory\+swap|kmem|swap|tcpmem): usage (\d+)kB, limit (\d+)kB, failcnt (\d+)/;
const STATS = /^Memory cgroup stats for (.*?):(.*)$/;
const TABLE_HEADER = /^\[\s*pid\s*\]\s+(uid\s+tgid\s+total_vm\s+rss\b.*\bname)\s*$/;
const SELECTION = /^(?:(.+?): )?[Kk]ill process (\d+) \((.*)\) score (-?\d+) or (?:sacrifice child|a child)$/;
const SHARED = /^(?:(.+?): )?[Kk]ill process (\d+) \((.*)\) sharing same memory$/;
const GROUP = /^Tasks in (.+) are going to be killed due to memory\.oom\.group set$/;
const KILLED = /^(?:(.+?): )?Killed process (\d+)(.*)$/;
const REAPED = /^oom_reaper: reaped process (\d+) \((.*)\), now (.*)$/;
const NO_VICTIM = /^Out of memory and no killable processes/;

/** Recognises one OOM-report line; null for everything else. */
export function classifyLine(text: string): OomLine | null {
  const t = text.trim();
  if (t === '') return null;
  let m: RegExpExecArray | null;

  if ((m = HEADER.exec(t))) {
    const params = m[2] ?? '';
    return {
      kind: 'header',
      comm: m[1] ?? '',
      gfpMask: /gfp_mask=([^,\s]+)/.exec(params)?.[1] ?? null,
      order: num(/\border=(-?\d+)/.exec(params)?.[1]),
      oomScoreAdj: num(/oom_score_adj=(-?\d+)/.exec(params)?.[1]),
      oomAdj: num(/\boom_adj=(-?\d+)/.exec(params)?.[1]),
    };
  }
  if (t.startsWith('oom-kill:')) return summary(t.slice('oom-kill:'.length));
  if ((m = KILLED.exec(t))) return killed(m);
  if ((m = REAPED.exec(t))) {
    const rest = m[3] ?? '';
    return { kind: 'reaped', pid: Number(m[1]), comm: m[2] ?? '', anonRssKb: kbField(rest, 'anon-rss'), fileRssKb: kbField(rest, 'file-rss'), shmemRssKb: kbField(rest, 'shmem-rss') };
  }
  if ((m = SELECTION.exec(t))) return { kind: 'selection', reason: m[1] ?? null, pid: Number(m[2]), comm: m[3] ?? '', score: Number(m[4]) };
  if ((m = SHARED.exec(t))) return { kind: 'shared-kill', pid: Number(m[2]), comm: m[3] ?? '' };
  if ((m = TASK_IN.exec(t))) return { kind: 'task-in', taskMemcg: m[1] ?? '', limitMemcg: m[2] ?? '' };
  if ((m = COUNTER.exec(t))) return { kind: 'counter', name: m[1] ?? '', usageKb: Number(m[2]), limitKb: Number(m[3]), failcnt: Number(m[4]) };
  if ((m = STATS.exec(t))) return { kind: 'stats-header', path: m[1] ?? '', inline: inlineStats(m[2] ?? '') };
  if (t.startsWith('Tasks state (memory values in pages)')) return { kind: 'tasks-state' };
  if ((m = TABLE_HEADER.exec(t))) return { kind: 'table-header', columns: (m[1] ?? '').split(/\s+/) };
  if ((m = GROUP.exec(t))) return { kind: 'group', path: m[1] ?? '' };
  if ((m = INVOKER_CPU.exec(t)) || (m = INVOKER_PID.exec(t))) return { kind: 'invoker-cpu', pid: Number(m[1]), comm: m[2] ?? '' };
  if ((m = CPUSET.exec(t))) return { kind: 'cpuset', comm: m[1] ?? '', cpuset: m[2] ?? '' };
  if (t === 'Mem-Info:') return { kind: 'mem-info' };
  if (NO_VICTIM.test(t)) return { kind: 'no-victim' };
  return null;
}

// "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/a,task_memcg=/a/b,task=stress,pid=1,uid=0"
// nodemask and mems_allowed are bitmap lists that may contain commas; task (a comm) may too,
// so the tail is anchored from the end.
function summary(s: string): OomLine | null {
  const tail = /(?:^|,)task=(.*),pid=(\d+),uid=(\d+)\s*$/.exec(s) ?? /(?:^|,)task=(.*),pid=(\d+)\s*$/.exec(s);
  if (!tail) return null;
  const head = s.slice(0, tail.index);
  return {
    kind: 'summary',
    constraint: /(?:^|,)constraint=(CONSTRAINT_\w+)/.exec(head)?.[1] ?? null,
    cpuset: /(?:^|,)cpuset=([^,]*)/.exec(head)?.[1] ?? null,
    oomMemcg: /(?:^|,)oom_memcg=(.*?)(?:,task_memcg=|$)/.exec(head)?.[1] ?? null,
    taskMemcg: /(?:^|,)task_memcg=(.*)$/.exec(head)?.[1] ?? null,
    globalOom: /(?:^|,)global_oom(?:,|$)/.test(head),
    task: tail[1] ?? '',
    pid: Number(tail[2]),
    uid: num(tail[3]),
  };
}

// The many shapes of the kill line:
//   Killed process 32308 (stress) total-vm:110644kB, anon-rss:99620kB, file-rss:192kB, shmem-rss:0kB
//   Memory cgroup out of memory: Killed process 1 (x) total-vm:..., UID:0 pgtables:104kB oom_score_adj:0
//   Killed process 11726, UID 498, (mysqld) total-vm:...            (RHEL 6)
//   Killed process 42452 (memcg_test_1), UID 0, total-vm:...        (RHEL 7)
//   Killed process 1234 (java) vsz:...kB, anon-rss:...              (2.6.3x)
//   Killed process 1234 (java)                                      (older still)
//   Killed process 62769 (                                          (a copy cut short)
function killed(m: RegExpExecArray): OomLine {
  let rest = m[3] ?? '';
  let uid: number | null = null;
  const rhel6 = /^, UID (\d+),/.exec(rest);
  if (rhel6) {
    uid = Number(rhel6[1]);
    rest = rest.slice(rhel6[0].length);
  }
  let comm: string | null = null;
  let fields = '';
  const c = /^ \((.*)\)(?=(?:,? UID \d+,)? (?:total-vm|vsz):|,? UID \d+,|\s*$)/.exec(rest);
  if (c) {
    comm = c[1] ?? '';
    fields = rest.slice(c[0].length);
  } else {
    fields = rest;
  }
  const rhel7 = /^,? UID (\d+),/.exec(fields);
  if (rhel7) uid = Number(rhel7[1]);
  const uidNew = /\bUID:(\d+)/.exec(fields);
  if (uidNew) uid = Number(uidNew[1]);
  return {
    kind: 'killed',
    reason: m[1] ?? null,
    pid: Number(m[2]),
    comm,
    totalVmKb: kbField(fields, 'total-vm') ?? kbField(fields, 'vsz'),
    anonRssKb: kbField(fields, 'anon-rss'),
    fileRssKb: kbField(fields, 'file-rss'),
    shmemRssKb: kbField(fields, 'shmem-rss'),
    uid,
    pgtablesKb: kbField(fields, 'pgtables'),
    oomScoreAdj: num(/oom_score_adj:(-?\d+)/.exec(fields)?.[1]),
  };
}

// "cache:0KB rss:1045824KB rss_huge:0KB ..." (3.x-4.x print the stats on the header line).
function inlineStats(s: string): Record<string, number> | null {
  const out: Record<string, number> = {};
  let any = false;
  for (const m of s.matchAll(/([a-z_]+):(\d+)(?:KB|kB)?/g)) {
    out[m[1] ?? ''] = Number(m[2]);
    any = true;
  }
  return any ? out : null;
}

/** "anon 33554432" lines of the multi-line stats block (5.x+ cgroup v2, 6.x v1). */
export function statsLine(text: string): [string, number] | null {
  const m = /^\s*([a-z_][a-z0-9_]*) (\d+)$/.exec(text);
  return m ? [m[1] ?? '', Number(m[2])] : null;
}

/** One row of the task table, read against the header's columns; the name may contain spaces. */
export interface TableRow {
  pid: number;
  values: Record<string, number>;
  name: string;
}

export function tableRow(text: string, columns: string[]): TableRow | null {
  const m = /^\s*\[\s*(\d+)\]\s+(.*)$/.exec(text);
  if (!m) return null;
  const numeric = columns.filter((c) => c !== 'name');
  let rest = m[2] ?? '';
  const values: Record<string, number> = {};
  for (const col of numeric) {
    const v = /^(-?\d+)(?:\s+|$)/.exec(rest);
    if (!v) return null;
    values[col] = Number(v[1]);
    rest = rest.slice(v[0].length);
  }
  return { pid: Number(m[1]), values, name: rest.replace(/\s+$/, '') };
}
