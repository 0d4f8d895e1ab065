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

// Every pattern must stay linear on a hostile line (a pasted log can hold anything):
// `s` lets `.` cross \r and \u2028 so an anchored `(.*)$` succeeds the first time
// instead of being retried from every earlier candidate; parts with many possible
// starts (the oom-kill: fields, "Kill process") are found with indexOf instead.
const HEADER = /^(.*?) invoked oom-killer: (.*)$/s;
const CPUSET = /^(.*) cpuset=(\S*) mems_allowed=\S*$/s;
// "CPU: 0 UID: 0 PID: 20885 Comm: stress Not tainted 6.18..." / 2.6.32 "Pid: 1234, comm: java Not tainted ..."
const INVOKER_CPU = /^CPU: \d+ (?:UID: \d+ )?PID: (\d+) Comm: (.*?) (?:Not tainted|Tainted:|Kdump:)/s;
const INVOKER_PID = /^Pid: (\d+), comm: (.*?) (?:Not tainted|Tainted:)/s;
const TASK_IN = /^Task in (.+) killed as a result of limit of (.+)$/s;
const COUNTER = /^(memory|memory\+swap|kmem|swap|tcpmem): usage (\d+)kB, limit (\d+)kB, failcnt (\d+)/;
const STATS = /^Memory cgroup stats for (.*?):(.*)$/s;
const TABLE_HEADER = /^\[\s*pid\s*\]\s+(uid\s+tgid\s+total_vm\s+rss\b.*\bname)\s*$/s;
const SELECTION_TAIL = /\) score (-?\d+) or (?:sacrifice child|a child)$/;
const SHARED_TAIL = /\) sharing same memory$/;
const KILL_PROCESS = /[Kk]ill process (\d+) \(/y;
const GROUP = /^Tasks in (.+) are going to be killed due to memory\.oom\.group set$/s;
const KILLED = /^(?:(.+?): )?Killed process (\d+)(.*)$/s;
const REAPED = /^oom_reaper: reaped process (\d+) \((.*)\), now (.*)$/s;
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
  let k: KillProcess | null;
  if ((k = killProcess(t, SELECTION_TAIL))) return { kind: 'selection', reason: k.reason, pid: k.pid, comm: k.comm, score: Number(k.tail[1]) };
  if ((k = killProcess(t, SHARED_TAIL))) return { kind: 'shared-kill', pid: k.pid, comm: k.comm };
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

interface KillProcess {
  reason: string | null;
  pid: number;
  comm: string;
  tail: RegExpExecArray;
}

/**
 * "[reason: ]Kill process PID (COMM)<tail>" as the regex
 * /^(?:(.+?): )?[Kk]ill process (\d+) \((.*)<tail>/ would read it (the first
 * ": " that is followed by "Kill process" wins, then no reason), in one pass:
 * the tail is anchored at the end, so COMM runs up to it.
 */
function killProcess(t: string, tailRe: RegExp): KillProcess | null {
  const tail = tailRe.exec(t);
  if (!tail) return null;
  const at = (start: number, reason: string | null): KillProcess | null => {
    KILL_PROCESS.lastIndex = start;
    const m = KILL_PROCESS.exec(t);
    if (!m || KILL_PROCESS.lastIndex > tail.index) return null;
    return { reason, pid: Number(m[1]), comm: t.slice(KILL_PROCESS.lastIndex, tail.index), tail };
  };
  for (let i = t.indexOf(': ', 1); i >= 1 && i + 2 <= tail.index; i = t.indexOf(': ', i + 1)) {
    const k = at(i + 2, t.slice(0, i));
    if (k) return k;
  }
  return at(0, null);
}

/** The field "name=..." that begins the text or follows a comma: where it starts (its comma) and where its value does. */
function findField(s: string, name: string): { at: number; value: number } | null {
  const key = `${name}=`;
  if (s.startsWith(key)) return { at: 0, value: key.length };
  const i = s.indexOf(`,${key}`);
  return i < 0 ? null : { at: i, value: i + 1 + key.length };
}

// "oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/a,task_memcg=/a/b,task=stress,pid=1,uid=0"
// nodemask and mems_allowed are bitmap lists that may contain commas; task (a comm) may too,
// so the tail is anchored from the end: task runs from the first "task=" to ",pid=".
const SUMMARY_TAIL = /,pid=(\d+)(?:,uid=(\d+))?\s*$/;

function summary(s: string): OomLine | null {
  const tail = SUMMARY_TAIL.exec(s);
  const task = findField(s, 'task');
  if (!tail || !task || task.value > tail.index) return null;
  const head = s.slice(0, task.at);
  // A value runs to the text that ends it (-1: to the end of the head).
  const value = (name: string, end: (from: number) => number): string | null => {
    const f = findField(head, name);
    if (!f) return null;
    const to = end(f.value);
    return head.slice(f.value, to < 0 ? head.length : to);
  };
  return {
    kind: 'summary',
    constraint: /(?:^|,)constraint=(CONSTRAINT_\w+)/.exec(head)?.[1] ?? null,
    cpuset: value('cpuset', (from) => head.indexOf(',', from)),
    oomMemcg: value('oom_memcg', (from) => head.indexOf(',task_memcg=', from)),
    taskMemcg: value('task_memcg', () => -1),
    globalOom: /(?:^|,)global_oom(?:,|$)/.test(head),
    task: s.slice(task.value, tail.index),
    pid: Number(tail[1]),
    uid: num(tail[2]),
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
  const c = /^ \((.*)\)(?=(?:,? UID \d+,)? (?:total-vm|vsz):|,? UID \d+,|\s*$)/s.exec(rest);
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
  // The lookbehind starts a name only at the start of a word: no retry from inside a long one.
  for (const m of s.matchAll(/(?<![a-z_])([a-z_]+):(\d+)(?:KB|kB)?/g)) {
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
  const m = /^\s*\[\s*(\d+)\]\s+(.*)$/s.exec(text);
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
  return { pid: Number(m[1]), values, name: rest.trimEnd() };
}
