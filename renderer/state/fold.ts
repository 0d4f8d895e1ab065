// The one reducer: (state, event) -> state. Live runs fold events as they
// arrive; replays fold the recording's events up to the cursor. No clocks, no
// I/O, no randomness: the same events always give the same view.

import type { ActionWait, EventOf, LabEvent } from '../../electron/lab/events';
import { append, emptyList } from './append-list';
import { initialState, type ProcessView, type StepView, type ViewState } from './view-state';

export function fold(state: ViewState, event: LabEvent): ViewState {
  // One object spread per event: at 100 Hz over a long recording this is the hot path.
  const t = Math.max(state.t, event.t);
  const count = state.count + 1;
  const s = state;
  switch (event.kind) {
    case 'run-start': {
      const { kind: _k, t: _t, ...run } = event;
      return { ...s, t, count, run };
    }
    case 'run-end':
      return { ...s, t, count, end: { t: event.t, outcome: event.outcome, reason: event.reason }, currentStep: null };
    case 'step-start':
      return {
        ...s,
        t,
        count,
        currentStep: event.index,
        steps: withStep(s.steps, event.index, (st) => ({
          ...st,
          title: event.title,
          narration: event.narration,
          startT: event.t,
          status: 'running',
        })),
      };
    case 'step-end':
      return {
        ...s,
        t,
        count,
        steps: withStep(s.steps, event.index, (st) => ({ ...st, endT: event.t, status: event.outcome, message: event.message, waiting: null })),
      };
    case 'expectation':
      return {
        ...s,
        t,
        count,
        steps: withStep(s.steps, event.step, (st) => ({
          ...st,
          expectations: [...st.expectations, { t: event.t, text: event.text, passed: event.passed, observed: event.observed }],
        })),
      };
    case 'action': {
      const actions = append(s.actions, { t: event.t, step: event.step, text: event.text });
      if (event.step === null) return { ...s, t, count, actions };
      // Any action of the step ends the wait before it; a wait action starts one.
      const w = event.wait ?? waitOfText(event.text);
      return { ...s, t, count, actions, steps: withStep(s.steps, event.step, (st) => ({ ...st, waiting: w ? { ...w, t: event.t } : null })) };
    }
    case 'sample':
      return { ...s, t, count, series: { ...s.series, [event.cgroup]: append(s.series[event.cgroup] ?? emptyList(), toPoint(event)) } };
    case 'processes':
      return { ...s, t, count, processes: foldProcesses(s.processes, event) };
    case 'kernel-line':
      return { ...s, t, count, kernelLines: append(s.kernelLines, { t: event.t, text: event.raw }) };
    case 'oom-kill': {
      // The kernel log is the whole host's: a kill in some other cgroup is shown apart, not as this run's.
      if (!concernsRun(s, event)) return { ...s, t, count, otherKills: [...s.otherKills, { t: event.t, report: event.report, workload: null, ...findReportLines(s, event) }] };
      const victim = s.processes[event.report.pid];
      const processes = { ...s.processes };
      processes[event.report.pid] = victim
        ? { ...victim, alive: false, killedT: event.t }
        : {
            pid: event.report.pid,
            comm: event.report.comm,
            rssKb: (event.report.anonRssKb ?? 0) + (event.report.fileRssKb ?? 0) + (event.report.shmemRssKb ?? 0),
            oomScore: 0,
            oomScoreAdj: event.report.oomScoreAdj ?? 0,
            workload: event.workload,
            cgroup: event.report.taskMemcg ?? event.report.memcg,
            alive: false,
            lastSeenT: event.t,
            killedT: event.t,
          };
      return {
        ...s,
        t,
        count,
        processes,
        kills: [...s.kills, { t: event.t, report: event.report, workload: event.workload, ...findReportLines(s, event) }],
      };
    }
    case 'workload-start':
      return {
        ...s,
        t,
        count,
        workloads: {
          ...s.workloads,
          [event.workload]: {
            name: event.workload,
            pid: event.pid,
            argv: event.argv,
            cgroup: event.cgroup,
            verifiedMember: event.verifiedMember,
            note: event.note,
            startT: event.t,
            exit: null,
          },
        },
      };
    case 'workload-output':
      return { ...s, t, count, output: append(s.output, { t: event.t, workload: event.workload, fd: event.fd, line: event.line }) };
    case 'workload-exit': {
      const w = s.workloads[event.workload];
      const exit = { t: event.t, code: event.code, signal: event.signal, oomKilled: event.oomKilled };
      return {
        ...s,
        t,
        count,
        workloads: {
          ...s.workloads,
          [event.workload]: w
            ? { ...w, exit }
            : { name: event.workload, pid: event.pid, argv: [], cgroup: '', verifiedMember: false, note: null, startT: event.t, exit },
        },
      };
    }
    case 'status':
      return { ...s, t, count, statuses: { ...s.statuses, [`${event.subject}/${event.name}`]: { ...event } } };
    case 'pause':
      return { ...s, t, count, pauses: [...s.pauses, { t: event.t, endT: null, step: event.step, frozen: event.frozen, how: event.how, warning: event.warning }] };
    case 'resume': {
      const last = s.pauses.at(-1);
      if (!last || last.endT !== null) return { ...s, t, count };
      return { ...s, t, count, pauses: [...s.pauses.slice(0, -1), { ...last, endT: event.t }] };
    }
    case 'warning':
    case 'error':
      return { ...s, t, count, notices: [...s.notices, { t: event.t, level: event.kind, message: event.message }] };
    default: {
      // A kind this build does not know (a newer recording): count it, show nothing.
      const _never: never = event;
      void _never;
      return { ...s, t, count };
    }
  }
}

export function foldAll(events: readonly LabEvent[], from: ViewState = initialState()): ViewState {
  let s = from;
  for (const e of events) s = fold(s, e);
  return s;
}

/** Fold every event with t <= time: what the run looked like at that moment. `events` in t order (replayOrder). */
export function foldUntil(events: readonly LabEvent[], time: number): ViewState {
  let s = initialState();
  for (const e of events) {
    if (e.t > time) break;
    s = fold(s, e);
  }
  return s;
}

/** A kill of this run: host-wide, of a known workload, or in (or under) the run's target cgroup. */
export function concernsRun(s: ViewState, e: EventOf<'oom-kill'>): boolean {
  if (e.report.global || e.workload !== null || !s.run?.target.path) return true;
  const mount = s.run.host.memoryMount ?? '';
  const rel = s.run.target.path.startsWith(mount) ? s.run.target.path.slice(mount.length) || '/' : s.run.target.path;
  const within = (cg: string | null) => cg !== null && (cg === rel || cg.startsWith(`${rel}/`));
  return within(e.report.memcg) || within(e.report.taskMemcg);
}

/** Recordings made before actions carried `wait`: the engine's own wording ("wait for X (at most D)", "wait D"). */
export function waitOfText(text: string): ActionWait | null {
  const m = /^wait for (.+) \(at most [^)]+\)$/.exec(text);
  if (m) return { what: m[1]!, usage: /^(usage|working set) /.test(m[1]!), forMs: null };
  const hold = /^wait (\d[\d.]* (?:ms|s|min))$/.exec(text);
  return hold ? { what: hold[1]!, usage: false, forMs: null } : null;
}

function withStep(steps: StepView[], index: number, f: (s: StepView) => StepView): StepView[] {
  const out = steps.slice();
  for (let i = out.length; i <= index; i++) {
    out[i] ??= { index: i, title: { en: '' }, narration: { en: '' }, startT: null, endT: null, status: 'pending', message: null, expectations: [], waiting: null };
  }
  out[index] = f(out[index]!);
  return out;
}

function toPoint(e: EventOf<'sample'>) {
  return {
    t: e.t,
    usage: e.usageBytes,
    limit: e.limitBytes,
    workingSet: e.workingSetBytes,
    cache: e.cacheBytes,
    rss: e.rssBytes,
    peak: e.peakBytes,
    failcnt: e.failcnt,
    oomKills: e.oomKills,
    underOom: e.underOom,
  };
}

function foldProcesses(prev: Record<number, ProcessView>, e: EventOf<'processes'>): Record<number, ProcessView> {
  const next: Record<number, ProcessView> = {};
  const seen = new Set<number>();
  for (const row of e.processes) {
    seen.add(row.pid);
    const old = prev[row.pid];
    next[row.pid] = { ...row, cgroup: e.cgroup, alive: true, lastSeenT: e.t, killedT: old?.killedT ?? null };
  }
  // Keep the ones that left this cgroup (the victim must stay visible), marked gone.
  for (const [pid, p] of Object.entries(prev)) {
    if (seen.has(Number(pid))) continue;
    next[Number(pid)] = p.cgroup === e.cgroup && p.alive ? { ...p, alive: false } : p;
  }
  return next;
}

/** The kernel-log lines the report was parsed from (first and last seen), to highlight them. */
function findReportLines(s: ViewState, e: EventOf<'oom-kill'>): { kernelLine: number | null; kernelLineEnd: number | null } {
  const first = e.report.lines[0]?.trim();
  const lastText = e.report.lines.at(-1)?.trim();
  if (!first) return { kernelLine: null, kernelLineEnd: null };
  // Reports arrive right after their lines: search backwards a bounded way.
  const lines = s.kernelLines;
  let start: number | null = null;
  for (let i = lines.length - 1, n = 0; i >= 0 && n < 2000; i--, n++) {
    if (lines.items[i]!.text.includes(first)) {
      start = i;
      break;
    }
  }
  if (start === null) return { kernelLine: null, kernelLineEnd: null };
  let end = start;
  for (let i = start; i < lines.length; i++) if (lastText && lines.items[i]!.text.includes(lastText)) end = i;
  return { kernelLine: start, kernelLineEnd: end };
}
