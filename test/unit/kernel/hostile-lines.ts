// Long kernel-log lines built to make a backtracking regex retry from every
// position (each made one of the old patterns quadratic: seconds to minutes
// at 280 KB). Shared by test/unit/kernel/hostile-input.test.ts and
// bench/hostile-input.ts. None is a kill, so each should classify as `expected`.

export const HOSTILE_BYTES = 280 * 1024;

const fill = (unit: string, bytes = HOSTILE_BYTES) => unit.repeat(Math.ceil(bytes / unit.length)).slice(0, bytes);

export interface HostileLine {
  name: string;
  /** The message (no prefix). */
  line: string;
  /** What classifyLine returns for it: null (not part of a report) or the line kind. */
  expected: string | null;
  /** Reports a whole-log scan finds in it (a stats header or a reaper line alone opens one). */
  reports: number;
}

export const hostileLines: HostileLine[] = [
  // `task=(.*),pid=` retried from every "task=" of a summary line that was cut before its pid.
  { name: 'oom-kill: cut before pid=', line: `oom-kill:constraint=CONSTRAINT_MEMCG,oom_memcg=/a${fill(',task=x')}`, expected: null, reports: 0 },
  { name: 'oom-kill: many pid= without uid', line: `oom-kill:${fill(',task=x,pid=1,uid=')}`, expected: null, reports: 0 },
  { name: 'oom-kill: line break inside oom_memcg', line: `oom-kill:${fill(',oom_memcg=x')}\u2028x`, expected: null, reports: 0 },
  { name: '"Kill process" repeated', line: fill('x: Kill process 1 ('), expected: null, reports: 0 },
  { name: 'stats with one long word', line: `Memory cgroup stats for /x:${fill('a')}`, expected: 'stats-header', reports: 1 },
  { name: 'stats with a line break after many colons', line: `Memory cgroup stats for ${fill(':')}\u2028x`, expected: 'stats-header', reports: 1 },
  { name: '"Killed process" with a line break', line: `${fill(': Killed process 1')}\u2028x`, expected: 'killed', reports: 1 },
  { name: 'oom_reaper with a line break', line: `oom_reaper: reaped process 1 (${fill('), now ')}\u2028x`, expected: 'reaped', reports: 1 },
  { name: 'blanks in the middle', line: `a${' '.repeat(HOSTILE_BYTES)}b`, expected: null, reports: 0 },
  { name: 'carriage returns in the middle', line: `a${'\r'.repeat(HOSTILE_BYTES)}b`, expected: null, reports: 0 },
  { name: 'uptime stamps after text', line: fill('[ 1.000] x '), expected: null, reports: 0 },
];
