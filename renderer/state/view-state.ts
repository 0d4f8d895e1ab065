// What the player shows, derived only from LabEvents by fold(). Live runs and
// replays build exactly this, so a replay looks like the run did.

import type { ActionWait, EventOf, LabEvent, Localized, ProcessRow } from '../../electron/lab/events';
import type { OomKillReport } from '../../electron/lab/kernel/report';
import { emptyList, type AppendList } from './append-list';

export interface SamplePoint {
  t: number;
  usage: number;
  limit: number | null;
  workingSet: number;
  cache: number;
  rss: number;
  peak: number | null;
  failcnt: number;
  oomKills: number | null;
  underOom: boolean | null;
}

export interface ExpectationView {
  t: number;
  text: string;
  passed: boolean;
  observed: string;
}

export type StepStatus = 'pending' | 'running' | 'ok' | 'failed' | 'timeout' | 'error' | 'skipped';

export interface StepView {
  index: number;
  title: Localized;
  narration: Localized;
  startT: number | null;
  endT: number | null;
  status: StepStatus;
  message: string | null;
  expectations: ExpectationView[];
  /** What the step waits for now (its last action was a wait), until its next action or its end. */
  waiting: (ActionWait & { t: number }) | null;
}

export interface KillView {
  t: number;
  report: OomKillReport;
  workload: string | null;
  /** Index into kernelLines of the report's first and last line, when they were seen. */
  kernelLine: number | null;
  kernelLineEnd: number | null;
}

export interface ProcessView extends ProcessRow {
  cgroup: string;
  alive: boolean;
  lastSeenT: number;
  /** Set when an OOM report names this pid as the victim. */
  killedT: number | null;
}

export interface WorkloadView {
  name: string;
  pid: number;
  argv: string[];
  cgroup: string;
  verifiedMember: boolean;
  note: string | null;
  startT: number;
  exit: { t: number; code: number | null; signal: string | null; oomKilled: boolean } | null;
}

export interface TimedText {
  t: number;
  text: string;
}

export interface OutputLine {
  t: number;
  workload: string;
  fd: 'stdout' | 'stderr';
  line: string;
}

export interface NoticeView {
  t: number;
  level: 'warning' | 'error';
  message: string;
}

export interface ViewState {
  run: Omit<EventOf<'run-start'>, 'kind' | 't'> | null;
  end: { t: number; outcome: EventOf<'run-end'>['outcome']; reason: string | null } | null;
  /** Time of the newest event folded. */
  t: number;
  /** Events folded so far (a replay cursor is an index into the event list). */
  count: number;
  steps: StepView[];
  currentStep: number | null;
  /** Samples per cgroup ("target" is what the main chart shows). */
  series: Record<string, AppendList<SamplePoint>>;
  kills: KillView[];
  /** OOM kills the host's kernel reported in other cgroups during the run (not this run's). */
  otherKills: KillView[];
  kernelLines: AppendList<TimedText>;
  processes: Record<number, ProcessView>;
  workloads: Record<string, WorkloadView>;
  output: AppendList<OutputLine>;
  actions: AppendList<TimedText & { step: number | null }>;
  statuses: Record<string, EventOf<'status'> & { t: number }>;
  notices: NoticeView[];
  /** Pauses of the run (endT null while it lasts): the chart shades them. */
  pauses: PauseView[];
}

export function initialState(): ViewState {
  return {
    run: null,
    end: null,
    t: 0,
    count: 0,
    steps: [],
    currentStep: null,
    series: {},
    kills: [],
    otherKills: [],
    kernelLines: emptyList(),
    processes: {},
    workloads: {},
    output: emptyList(),
    actions: emptyList(),
    statuses: {},
    notices: [],
    pauses: [],
  };
}

export interface PauseView {
  t: number;
  endT: number | null;
  step: number | null;
  frozen: boolean;
  how: string | null;
  warning: string | null;
}

/** The steps a run will go through, known before they start (scenario file or a whole recording). */
export interface StepOutline {
  title: Localized;
  narration: Localized;
}

export function outlineFromEvents(events: readonly LabEvent[]): StepOutline[] {
  const out: StepOutline[] = [];
  for (const e of events) if (e.kind === 'step-start') out[e.index] = { title: e.title, narration: e.narration };
  return Array.from(out, (s) => s ?? { title: { en: '' }, narration: { en: '' } });
}
