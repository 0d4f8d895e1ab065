// The scenario file format, as a zod schema. The loader (load.ts) parses the
// YAML, substitutes ${param} references, then validates with this schema; the
// same schema is published as JSON Schema (scenarios/schema.json) for editors.
//
// zod because it gives both the runtime check with field paths and the JSON
// Schema (z.toJSONSchema) from one definition; it is already a dependency.
//
// Shapes are "one key says what it is" objects (`- start: {...}`,
// `- wait: {...}`, `- oomKilled: big`): that reads well in YAML and is
// expressed exactly in JSON Schema as a union of strict one-key objects.

import { z } from 'zod';
import { DURATION_PATTERN, SIZE_PATTERN, durationTooLong, parseDuration, parseSize } from './units';

const PARAM_REF = '\\$\\{[A-Za-z_][A-Za-z0-9_-]*\\}';
const sizeRe = new RegExp(`${SIZE_PATTERN}|^${PARAM_REF}$`);
const durationRe = new RegExp(`${DURATION_PATTERN}|^${PARAM_REF}$`);

const SIZE_HINT = 'a size such as 123Mi, 100M or 4096 (K/M/G are 1024-based)';
const DURATION_HINT = 'a duration such as 500ms, 20s or 2m';

/** A size in the file, bytes after validation. */
export const Size = z
  .union([z.number().int().nonnegative(), z.string().regex(sizeRe, { error: `expected ${SIZE_HINT}` })], { error: `expected ${SIZE_HINT}` })
  .transform((v, ctx) => {
    const bytes = parseSize(v);
    if (bytes === null) {
      ctx.addIssue({ code: 'custom', message: `expected ${SIZE_HINT}, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    return bytes;
  })
  .meta({ id: 'Size', description: `Bytes: ${SIZE_HINT}` });

/** A size or "max" (no limit), bytes or null after validation. */
const SizeOrMax = z.union([z.literal('max'), Size], { error: `expected ${SIZE_HINT}, or "max"` }).transform((v) => (v === 'max' ? null : v));

export const Duration = z
  .string({ error: `expected ${DURATION_HINT}` })
  .regex(durationRe, { error: `expected ${DURATION_HINT}` })
  .transform((v, ctx) => {
    const ms = parseDuration(v);
    if (ms === null) {
      ctx.addIssue({ code: 'custom', message: `expected ${DURATION_HINT}, got ${JSON.stringify(v)}` });
      return z.NEVER;
    }
    const tooLong = durationTooLong(ms);
    if (tooLong) {
      ctx.addIssue({ code: 'custom', message: `${JSON.stringify(v)} is ${tooLong}` });
      return z.NEVER;
    }
    return ms;
  })
  .meta({ id: 'Duration', description: DURATION_HINT });

/** Text per locale; a plain string is English. Narration is Markdown. */
export const Localized = z
  .union([z.string(), z.strictObject({ en: z.string(), 'zh-CN': z.string().optional() })], {
    error: 'expected text, or {en: ..., zh-CN: ...}',
  })
  .transform((v) => (typeof v === 'string' ? { en: v } : v))
  .meta({ id: 'Localized', description: 'Text (Markdown for narration): a string in English, or per locale {en, zh-CN}' });

const WorkloadName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/, { error: 'a workload name is letters, digits, "_", "." or "-" (at most 48), starting with a letter or digit' })
  .meta({ id: 'WorkloadName' });

const Count = z.number().int().positive();

// ---------------------------------------------------------------- workloads

const workloadCommon = {
  /** Name the steps and expectations use. */
  workload: WorkloadName,
  oomScoreAdj: z.number().int().min(-1000).max(1000).optional(),
  /** Hard cap: the workload is killed after this long. */
  timeCap: Duration.optional(),
};

const StressSpec = z.strictObject({
  vm: Count.default(1),
  vmBytes: Size,
  vmKeep: z.boolean().optional(),
  vmHang: z.number().int().nonnegative().optional(),
  /** stress touches one byte every vmStride bytes (default 4096, every page); vmStride = vmBytes reserves without touching. */
  vmStride: Size.optional(),
});
const StressNgSpec = z.strictObject({
  vm: Count.default(1),
  vmBytes: Size,
  vmKeep: z.boolean().optional(),
  vmHang: z.number().int().nonnegative().optional(),
  oomable: z.boolean().optional(),
});
const RampSpec = z.strictObject({ mbPerSec: z.number().positive(), stepMb: z.number().positive(), maxMb: z.number().positive().optional() });
const CacheWriterSpec = z.strictObject({
  mbPerSec: z.number().positive(),
  totalMb: z.number().positive(),
  holdSec: z.number().nonnegative().optional(),
  dir: z.string().optional(),
});

export const StartAction = z.union([
  z.strictObject({ ...workloadCommon, stress: StressSpec }),
  z.strictObject({ ...workloadCommon, 'stress-ng': StressNgSpec }),
  z.strictObject({ ...workloadCommon, ramp: RampSpec }),
  z.strictObject({ ...workloadCommon, 'cache-writer': CacheWriterSpec }),
]);

// ---------------------------------------------------------------- conditions

/** Bounds on an observed number; all given must hold. */
function compareShape<T extends z.ZodType>(value: T) {
  return { above: value.optional(), atLeast: value.optional(), below: value.optional(), atMost: value.optional(), equals: value.optional() };
}
const hasBound = (o: Record<string, unknown>) => ['above', 'atLeast', 'below', 'atMost', 'equals'].some((k) => o[k] !== undefined);
const BOUND_ERROR = 'give at least one of above, atLeast, below, atMost, equals';
function compare<T extends z.ZodType>(value: T) {
  return z.strictObject(compareShape(value)).refine(hasBound, { error: BOUND_ERROR });
}
/** "90%": that share of the limit, so bounds follow a limit the user changes with --param. */
const BYTE_VALUE_HINT = `expected ${SIZE_HINT}, "limit", or a share of the limit such as "90%"`;
const PercentOfLimit = z.string().regex(/^[0-9]+(\.[0-9]+)?%$/, { error: BYTE_VALUE_HINT });
const ByteValue = z.union([z.literal('limit'), PercentOfLimit, Size], { error: BYTE_VALUE_HINT });
export const ByteCompare = compare(ByteValue).meta({ id: 'ByteCompare', description: 'Bounds in bytes, "limit", or a share of the limit ("90%"); all given must hold' });
export const CountCompare = compare(z.number().int().nonnegative()).meta({ id: 'CountCompare', description: 'Bounds on a count; all given must hold' });

/** Byte-valued series of the target's samples. */
export const ByteMetric = z.enum(['usage', 'workingSet', 'cache', 'rss', 'peak']);

const WaitCondition = {
  usage: ByteCompare.optional(),
  workingSet: ByteCompare.optional(),
  cache: ByteCompare.optional(),
  rss: ByteCompare.optional(),
  /** An OOM kill in the target; "any" or the workload it must hit. */
  oomKill: z.union([z.literal('any'), WorkloadName]).optional(),
  exited: WorkloadName.optional(),
  underOom: z.boolean().optional(),
  failcnt: CountCompare.optional(),
  /** Just let time pass. */
  for: Duration.optional(),
};
const WAIT_KEYS = Object.keys(WaitCondition);

export const WaitAction = z
  .strictObject({ ...WaitCondition, timeout: Duration.optional() })
  .refine((w) => WAIT_KEYS.filter((k) => (w as Record<string, unknown>)[k] !== undefined).length === 1, {
    error: `a wait needs exactly one condition: ${WAIT_KEYS.join(', ')}`,
  });

export const SetAction = z
  .strictObject({
    limit: SizeOrMax.optional(),
    'oom-kill-disable': z.boolean().optional(),
    'soft-limit': SizeOrMax.optional(),
    high: SizeOrMax.optional(),
    'oom-group': z.boolean().optional(),
  })
  .refine((o) => Object.values(o).some((v) => v !== undefined), { error: 'set at least one knob' });

export const Action = z.union([
  /** Create the target here (by default it is created before the first step). */
  z.strictObject({ create: z.strictObject({}).nullable() }),
  z.strictObject({ start: StartAction }),
  z.strictObject({ wait: WaitAction }),
  z.strictObject({ set: SetAction }),
  z.strictObject({ stop: WorkloadName }),
  /** Read host facts into the run: overcommit = vm.overcommit_memory/ratio and CommitLimit/Committed_AS from /proc/meminfo (read only; no sysctl is changed). */
  z.strictObject({ read: z.literal('overcommit') }),
  /** Read VmSize/VmRSS and the command line of every process of a workload (/proc/PID/status, cmdline). */
  z.strictObject({ inspect: WorkloadName }),
  /** Walk from the last OOM kill's report (pid, task_memcg) to its cgroup directory, members, owner record and workload. */
  z.strictObject({ trace: z.literal('lastKill') }),
]).meta({ id: 'Action', description: 'One thing a step does: create, start, wait, set, stop, read, inspect or trace' });

// ---------------------------------------------------------------- expectations

/** Bounds on one target sample; all given must hold in the same sample. */
export const SampleBounds = z
  .strictObject({
    usage: ByteCompare.optional(),
    workingSet: ByteCompare.optional(),
    cache: ByteCompare.optional(),
    rss: ByteCompare.optional(),
    failcnt: CountCompare.optional(),
    oomKills: CountCompare.optional(),
    /** cgroup v2 memory.events high. */
    highEvents: CountCompare.optional(),
    underOom: z.boolean().optional(),
  })
  .refine((o) => Object.values(o).some((v) => v !== undefined), { error: 'give at least one of usage, workingSet, cache, rss, failcnt, oomKills, highEvents, underOom' })
  .meta({ id: 'SampleBounds', description: 'Bounds that must all hold in one sample of the target' });

export const Expectation = z.union([
  /** The OOM killer killed (a process of) this workload. */
  z.strictObject({ oomKilled: WorkloadName }),
  z.strictObject({ notOomKilled: WorkloadName }),
  /** The workload ended with this exit code and/or signal ("KILL"). */
  z.strictObject({
    exited: z
      .strictObject({ workload: WorkloadName, code: z.number().int().optional(), signal: z.string().regex(/^[A-Z0-9]+$/).optional() })
      .refine((e) => e.code !== undefined || e.signal !== undefined, { error: 'give code or signal' }),
  }),
  z.strictObject({ failcnt: CountCompare }),
  /** OOM kills in the target (kernel's oom_kill counter, else the reports seen). */
  z.strictObject({ oomKills: z.union([z.number().int().nonnegative(), CountCompare]) }),
  /** The highest peak (max_usage / memory.peak) never exceeded the limit. */
  z.strictObject({ peakWithinLimit: z.literal(true) }),
  /** No sample's usage exceeded the limit. */
  z.strictObject({ usageWithinLimit: z.literal(true) }),
  /** The container's state as docker inspect reported it when its last workload ended (docker targets). */
  z.strictObject({
    container: z
      .strictObject({ oomKilled: z.boolean().optional(), exitCode: z.number().int().optional(), phase: z.string().optional() })
      .refine((c) => c.oomKilled !== undefined || c.exitCode !== undefined || c.phase !== undefined, { error: 'give oomKilled, exitCode or phase' }),
  }),
  /** The target was under OOM (v1 under_oom = 1) at some sample. */
  z.strictObject({ underOom: z.boolean() }),
  /** The largest value a byte series reached. */
  z.strictObject({ max: z.strictObject({ metric: ByteMetric, ...compareShape(ByteValue) }).refine(hasBound, { error: BOUND_ERROR }) }),
  /** Some sample satisfied all these bounds at once (e.g. usage at the limit while the working set is low). */
  z.strictObject({ seen: SampleBounds }),
  /** The last sample before the last OOM kill (the kernel's oom_kill counter not yet counting it). */
  z.strictObject({ beforeKill: SampleBounds }),
  /** The first sample after the last OOM kill (the counter counting it): the drop on the chart. */
  z.strictObject({ afterKill: SampleBounds }),
  /** The last OOM kill (of this workload, when given), from the kernel's own report. */
  z.strictObject({
    victim: z
      .strictObject({
        workload: WorkloadName.optional(),
        /** The victim's oom_score_adj in the report. */
        oomScoreAdj: z.number().int().min(-1000).max(1000).optional(),
        /** The victim's anonymous resident memory (rss_anon pages x page size; else anon-rss). */
        rss: ByteCompare.optional(),
        /** Whether the victim had the most resident memory in the report's task table. */
        largestRss: z.boolean().optional(),
        /** The victim had the highest badness computed from the task table (rss + page tables + swap + oom_score_adj x limit/1000). */
        highestBadness: z.literal(true).optional(),
        /** Whether the victim was the workload's own first process (false: a child it started). */
        mainProcess: z.boolean().optional(),
      })
      .refine((o) => Object.entries(o).some(([k, v]) => k !== 'workload' && v !== undefined), { error: 'give at least one of oomScoreAdj, rss, largestRss, highestBadness, mainProcess' }),
  }),
  /** The workload's first process is still running, and a process listing after the last OOM kill shows it. */
  z.strictObject({ running: WorkloadName }),
  /** The workload ended because the lab stopped it, not because the OOM killer took its first process. */
  z.strictObject({ stopped: WorkloadName }),
  /** From the last `inspect` of the workload: its processes' virtual size (VmSize) and resident memory (VmRSS), summed. */
  z.strictObject({
    memoryOf: z
      .strictObject({ workload: WorkloadName, virtual: ByteCompare.optional(), resident: ByteCompare.optional() })
      .refine((o) => o.virtual !== undefined || o.resident !== undefined, { error: 'give virtual or resident' }),
  }),
  /** The last `trace` led from the kernel's report to this workload's cgroup, and (command) a live member's command line matches this regular expression. */
  z.strictObject({ traced: z.strictObject({ workload: WorkloadName, command: z.string().optional() }) }),
  /** A kernel log line seen during the run matches this regular expression. */
  z.strictObject({ kernelLog: z.string().min(1) }),
]).meta({ id: 'Expectation', description: 'Checked at the end of the step over everything observed since the run started' });

// ---------------------------------------------------------------- scenario

/** A Docker container as the target (targets/docker.ts). */
export const DockerTarget = z
  .strictObject({
    kind: z.literal('docker'),
    /** "oomlab/stress" is built on the host from its own stress/stress-ng; any other image must already be there. */
    image: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/, { error: 'an image reference such as oomlab/stress or name:tag' })
      .default('oomlab/stress'),
    /** main: the first workload is the container's main process (the container ends with it); exec: PID 1 idles, workloads come in by docker exec. */
    mode: z.enum(['main', 'exec']).default('main'),
    network: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, { error: 'a network name: none, host, bridge or a user network' })
      .default('none'),
  })
  .meta({ id: 'DockerTarget', description: 'A Docker container with --memory = limit (and --memory-swap = limit when swap is pinned)' });

/** A Kubernetes pod as the target (targets/pod.ts): its memory limit is the scenario's limit. */
export const PodTarget = z
  .strictObject({
    kind: z.literal('pod'),
    /** "oomlab/stress" is built on the node with Docker (imagePullPolicy Never); any other image must be pullable or on the node. */
    image: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/, { error: 'an image reference such as oomlab/stress or name:tag' })
      .default('oomlab/stress'),
    namespace: z
      .string()
      .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, { error: 'a namespace name: lowercase letters, digits and "-"' })
      .default('oomlab'),
    /** The container's command (some stress images need one); default: PID 1 sleeps and workloads come in from the node. */
    command: z.array(z.string()).min(1).optional(),
    restartPolicy: z.enum(['Always', 'OnFailure', 'Never']).default('Always'),
    /** Default: the limit (the API server defaults a missing request to the limit). */
    memoryRequest: Size.optional(),
    cpuRequest: z.string().regex(/^(?:\d+(?:\.\d+)?|\d+m)$/, { error: 'a cpu quantity such as 250m or 1' }).optional(),
    cpuLimit: z.string().regex(/^(?:\d+(?:\.\d+)?|\d+m)$/, { error: 'a cpu quantity such as 250m or 1' }).optional(),
    /** Absolute path on the node; default: the one the probe found. */
    kubeconfig: z.string().regex(/^\//, { error: 'an absolute path on the node' }).optional(),
  })
  .meta({ id: 'PodTarget', description: 'A Kubernetes pod (k3s) with resources.limits.memory = limit, created and observed with kubectl on the node' });

export const ParamDef = z.strictObject({
  /** string: free text checked where it is used (e.g. a docker image reference). */
  type: z.enum(['size', 'duration', 'integer', 'string']),
  default: z.union([z.string(), z.number()]),
  description: Localized.optional(),
});

const ScenarioId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, { error: 'an id is lowercase letters, digits and "-"' });

/** What a host must offer. A scenario's requirements refuse the run elsewhere; a step's skip the step. */
export const Requirements = z
  .strictObject({
    /** The memory controller's cgroup version (some knobs exist only in one). */
    cgroup: z.enum(['v1', 'v2']).optional(),
    /** Root may lower oom_score_adj below 0 (needs CAP_SYS_RESOURCE; containers often lack it). */
    lowerOomScoreAdj: z.literal(true).optional(),
  })
  .meta({ id: 'Requirements', description: 'What the host must offer: cgroup v1|v2, lowerOomScoreAdj' });

export const Step = z.strictObject({
  title: Localized,
  /** Skip this step (outcome "skipped") on hosts that do not offer this. */
  requires: Requirements.optional(),
  narration: Localized.optional(),
  actions: z.array(Action).default([]),
  expect: z.array(Expectation).default([]),
});

export const Scenario = z.strictObject({
  $schema: z.string().optional(),
  id: ScenarioId,
  title: Localized,
  description: Localized.optional(),
  target: z
    .discriminatedUnion('kind', [z.strictObject({ kind: z.literal('cgroup') }), DockerTarget, PodTarget], {
      error: 'target: {kind: cgroup}, {kind: docker, image?, mode?, network?} or {kind: pod, image?, namespace?, command?, restartPolicy?, ...}',
    })
    .default({ kind: 'cgroup' }),
  limit: SizeOrMax,
  /** Refuse to run on hosts that do not offer this. */
  requires: Requirements.optional(),
  /** How long the lab keeps sampling after the last step before cleaning up (default 1s), so the chart shows what the last step caused. */
  tail: Duration.optional(),
  /** pinned: no swap for the target, so the limit means an OOM kill. */
  swap: z.enum(['pinned', 'allowed']).default('pinned'),
  params: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/), ParamDef).default({}),
  steps: z.array(Step).min(1),
});

export type ScenarioInput = z.input<typeof Scenario>;
export type Scenario = z.output<typeof Scenario>;
export type Step = z.output<typeof Step>;
export type Action = z.output<typeof Action>;
export type StartAction = z.output<typeof StartAction>;
export type WaitAction = z.output<typeof WaitAction>;
export type SetAction = z.output<typeof SetAction>;
export type Expectation = z.output<typeof Expectation>;
export type ByteCompare = z.output<typeof ByteCompare>;
export type CountCompare = z.output<typeof CountCompare>;
export type ParamDef = z.output<typeof ParamDef>;
export type SampleBounds = z.output<typeof SampleBounds>;
export type Requirements = z.output<typeof Requirements>;
export const WAIT_CONDITIONS = WAIT_KEYS;
