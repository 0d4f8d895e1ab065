// The shape of every LabEvent and of the recording header, as zod schemas, so
// a recording is checked field by field when it is read: a file from anyone
// (a download, a bug report) reaches the player, the exports and the CLI
// printer only as the types say. Unknown fields are dropped, unknown kinds
// refused. Pure (zod only) so the renderer parses recordings with it too.
//
// The compile-time checks at the bottom fail `tsc` when events.ts, facts.ts or
// report.ts change and this file does not.

import { z } from 'zod';
import type { HostFacts } from '../host/facts';
import type { OomKillReport } from '../kernel/report';
import type { HostReading, LabEvent, MemorySample, ProcessRow } from '../events';
import type { RecordingHeader } from './format';

const num = z.number();
const int = z.number().int();
const str = z.string();
const nullable = <T extends z.ZodType>(s: T) => s.nullable();

const Localized = z.object({ en: str, 'zh-CN': str.optional() });

export const HostFactsSchema = z.object({
  host: str,
  kernel: str,
  distro: nullable(str),
  arch: str,
  cgroup: z.enum(['v1', 'v2', 'hybrid']),
  memoryMount: nullable(str),
  memoryController: z.boolean(),
  canCreateCgroup: z.boolean(),
  memswAccounting: z.boolean(),
  tools: z.record(str, z.union([str, z.boolean()])),
  kernelLog: z.array(z.enum(['kmsg', 'dmesg', 'journalctl'])),
  kubeconfig: nullable(str),
  memTotalBytes: num,
  memAvailableBytes: num,
  swapTotalBytes: num,
  overcommitMemory: num,
  pageSize: num,
  root: z.boolean(),
  sudo: z.boolean(),
  problems: z.array(str),
  user: str.optional(),
  unifiedMount: nullable(str).optional(),
  freezerMount: nullable(str).optional(),
  v2Controllers: z.array(str).optional(),
  v2SubtreeControl: z.array(str).optional(),
  selfMemoryCgroup: nullable(str).optional(),
  toolPaths: z.record(str, str).optional(),
  dockerDaemon: nullable(str).optional(),
  kubectl: z.enum(['kubectl', 'k3s kubectl']).nullable().optional(),
  dmesgRestrict: nullable(num).optional(),
});

const OomTask = z.object({
  pid: int,
  uid: nullable(num),
  tgid: nullable(num),
  totalVmPages: nullable(num),
  rssPages: nullable(num),
  rssAnonPages: nullable(num),
  rssFilePages: nullable(num),
  rssShmemPages: nullable(num),
  pgtablesBytes: nullable(num),
  swapentsPages: nullable(num),
  oomScoreAdj: num,
  name: str,
  nrPtes: nullable(num).optional(),
  nrPmds: nullable(num).optional(),
  oomAdj: nullable(num).optional(),
});

const Counters = z.object({ usageKb: num, limitKb: num, failcnt: num });

const OomKillReportSchema = z.object({
  pid: int,
  comm: str,
  selectedPid: nullable(int),
  selectedScore: nullable(num),
  global: z.boolean(),
  constraint: nullable(str),
  memcg: str,
  taskMemcg: nullable(str),
  totalVmKb: nullable(num),
  anonRssKb: nullable(num),
  fileRssKb: nullable(num),
  shmemRssKb: nullable(num),
  uid: nullable(num),
  pgtablesKb: nullable(num),
  oomScoreAdj: nullable(num),
  invoker: nullable(z.object({ comm: str, pid: nullable(int), gfpMask: nullable(str), order: nullable(num), oomScoreAdj: nullable(num) })),
  memcgUsage: nullable(Counters),
  memcgStats: nullable(z.record(str, num)),
  tasks: z.array(OomTask),
  reaped: nullable(z.object({ pid: int, comm: str, anonRssKb: nullable(num), fileRssKb: nullable(num), shmemRssKb: nullable(num) })),
  groupKill: z.boolean(),
  containerId: nullable(str),
  podUid: nullable(str),
  qosClass: z.enum(['guaranteed', 'burstable', 'besteffort']).nullable(),
  time: z.object({ uptimeSec: nullable(num), wall: nullable(str) }),
  lines: z.array(str),
  sourceLine: num.optional(),
  truncated: z.boolean().optional(),
  seenIn: z.enum(['kill-line', 'oom_reaper', 'summary']).optional(),
  headerMissing: z.boolean().optional(),
  memcgStatsByCgroup: z.record(str, z.record(str, num)).optional(),
  memcgCounters: z.array(Counters.extend({ name: str })).optional(),
  runtime: nullable(str).optional(),
  scope: z.enum(['memcg', 'global', 'unknown']).optional(),
  memcgSource: z.enum(['summary', 'task-in', 'stats']).nullable().optional(),
  cpuset: nullable(str).optional(),
});

const MemorySampleSchema = z.object({
  cgroup: str,
  usageBytes: num,
  limitBytes: nullable(num),
  failcnt: num,
  peakBytes: nullable(num),
  cacheBytes: num,
  rssBytes: num,
  inactiveFileBytes: num,
  workingSetBytes: num,
  oomKills: nullable(num),
  ooms: nullable(num),
  underOom: nullable(z.boolean()),
  highEvents: nullable(num),
  pressure: nullable(z.object({ someAvg10: num, fullAvg10: num })),
});

const ProcessRowSchema = z.object({ pid: int, comm: str, rssKb: num, oomScore: num, oomScoreAdj: num, workload: nullable(str) });

const HostReadingSchema = z.discriminatedUnion('what', [
  z.object({
    what: z.literal('overcommit'),
    overcommitMemory: nullable(num),
    overcommitRatio: nullable(num),
    commitLimitKb: nullable(num),
    committedAsKb: nullable(num),
    memTotalKb: nullable(num),
    swapTotalKb: nullable(num),
  }),
  z.object({
    what: z.literal('inspect'),
    workload: str,
    processes: z.array(z.object({ pid: int, comm: str, vmSizeKb: nullable(num), vmRssKb: nullable(num), cmdline: str })),
  }),
  z.object({
    what: z.literal('trace'),
    pid: int,
    comm: str,
    taskMemcg: nullable(str),
    memcg: str,
    dir: nullable(str),
    dirExists: z.boolean(),
    ownerRunId: nullable(str),
    workload: nullable(str),
    members: z.array(z.object({ pid: int, comm: str, cmdline: str })),
  }),
]);

const TargetSchema = z.object({ kind: z.enum(['cgroup-v1', 'cgroup-v2', 'docker', 'pod']), path: nullable(str), limitBytes: nullable(num), swapPinned: z.boolean() });
const ScenarioRef = z.object({ id: str, title: Localized, file: nullable(str) });

const t = num;
export const LabEventSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('run-start'), t, runId: str, scenario: ScenarioRef, host: HostFactsSchema, target: TargetSchema, startedAt: str, appVersion: str }),
  z.object({ kind: z.literal('run-end'), t, outcome: z.enum(['passed', 'failed', 'error', 'aborted']), reason: nullable(str) }),
  z.object({ kind: z.literal('step-start'), t, index: int, title: Localized, narration: Localized }),
  z.object({ kind: z.literal('step-end'), t, index: int, outcome: z.enum(['ok', 'failed', 'timeout', 'error', 'skipped']), message: nullable(str) }),
  z.object({ kind: z.literal('action'), t, step: nullable(int), text: str, read: HostReadingSchema.optional(), wait: z.object({ what: str, usage: z.boolean(), forMs: nullable(num) }).optional() }),
  MemorySampleSchema.extend({ kind: z.literal('sample'), t }),
  z.object({ kind: z.literal('processes'), t, cgroup: str, processes: z.array(ProcessRowSchema) }),
  z.object({ kind: z.literal('kernel-line'), t, raw: str }),
  z.object({ kind: z.literal('oom-kill'), t, report: OomKillReportSchema, workload: nullable(str) }),
  z.object({ kind: z.literal('workload-start'), t, workload: str, pid: int, argv: z.array(str), cgroup: str, verifiedMember: z.boolean(), note: nullable(str) }),
  z.object({ kind: z.literal('workload-output'), t, workload: str, fd: z.enum(['stdout', 'stderr']), line: str }),
  z.object({
    kind: z.literal('workload-exit'),
    t,
    workload: str,
    pid: int,
    code: nullable(num),
    signal: nullable(str),
    oomKilled: z.boolean(),
    timeCapHit: z.boolean().optional(),
    stopped: z.boolean().optional(),
  }),
  z.object({ kind: z.literal('expectation'), t, step: int, text: str, passed: z.boolean(), observed: str }),
  z.object({
    kind: z.literal('status'),
    t,
    subject: z.enum(['container', 'pod']),
    name: str,
    phase: str,
    reason: nullable(str),
    exitCode: nullable(num),
    restartCount: nullable(num),
    oomKilled: z.boolean(),
    message: nullable(str).optional(),
  }),
  z.object({ kind: z.literal('pause'), t, step: nullable(int), frozen: z.boolean(), how: nullable(str), warning: nullable(str), frozenAt: t.optional() }),
  z.object({ kind: z.literal('resume'), t, step: nullable(int), pausedMs: num }),
  z.object({ kind: z.literal('warning'), t, message: str }),
  z.object({ kind: z.literal('error'), t, message: str }),
]);

/** The header after its format and version were checked (parse.ts says those two in its own words). */
export const RecordingHeaderSchema = z.object({
  format: z.literal('oomlab-recording'),
  version: num,
  appVersion: str,
  runId: str,
  scenario: ScenarioRef,
  host: HostFactsSchema,
  target: TargetSchema,
  startedAt: str,
});

/** "report.tasks[2].pid: expected int, got string" for the first problem zod found. */
export function describeIssue(error: z.ZodError, value: unknown): string {
  const issue = error.issues[0]!;
  let field = '';
  for (const k of issue.path) field += typeof k === 'number' ? `[${k}]` : `${field ? '.' : ''}${String(k)}`;
  let got: unknown = value;
  for (const k of issue.path) got = typeof got === 'object' && got !== null ? (got as Record<PropertyKey, unknown>)[k] : undefined;
  const what =
    issue.code === 'invalid_type'
      ? `expected ${issue.expected}, got ${got === undefined ? 'nothing (missing)' : got === null ? 'null' : Array.isArray(got) ? 'an array' : typeof got}`
      : issue.code === 'invalid_union' && 'note' in issue && issue.note === 'No matching discriminator'
        ? `unknown ${JSON.stringify(String(got)).slice(0, 80)}`
        : issue.message;
  return `${field || '(the event)'}: ${what}`;
}

// Compile-time: the schemas accept exactly the types the engine writes.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTypes: [
  Same<z.infer<typeof LabEventSchema>, LabEvent>,
  Same<z.infer<typeof HostFactsSchema>, HostFacts>,
  Same<z.infer<typeof OomKillReportSchema>, OomKillReport>,
  Same<z.infer<typeof MemorySampleSchema>, MemorySample>,
  Same<z.infer<typeof ProcessRowSchema>, ProcessRow>,
  Same<z.infer<typeof HostReadingSchema>, HostReading>,
  Same<z.infer<typeof RecordingHeaderSchema>, RecordingHeader>,
] = [true, true, true, true, true, true, true];
void sameTypes;
// Mutual assignability misses an optional field the schema lacks (zod would drop it when reading): keys too.
type SameKeys<A, B> = Same<keyof A, keyof B>;
const sameKeys: [
  SameKeys<z.infer<typeof HostFactsSchema>, HostFacts>,
  SameKeys<z.infer<typeof OomKillReportSchema>, OomKillReport>,
  SameKeys<z.infer<typeof MemorySampleSchema>, MemorySample>,
  SameKeys<z.infer<typeof ProcessRowSchema>, ProcessRow>,
  SameKeys<z.infer<typeof RecordingHeaderSchema>, RecordingHeader>,
] = [true, true, true, true, true];
void sameKeys;
