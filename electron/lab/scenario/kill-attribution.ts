// Whose OOM kill is it? The kernel log is the whole host's, so every oom-kill
// report is decided here: this run's (with its workload when known), someone
// else's (a warning; it must not satisfy "wait for an OOM kill"), or held a
// moment until the evidence arrives. Pure: the runner feeds in reports, its
// other events and the time, and carries out the decisions.
//
// The rules:
// - A report whose cgroup (memcg or task_memcg) is inside the target, or whose
//   pid a workload owns, is ours.
// - Ours but the pid is not placed yet: held until a workload-start, process
//   list or output line places it (a group kill takes processes the OOM killer
//   never printed a cgroup for), at most KILL_ATTRIBUTION_MS; then ours without
//   a workload.
// - Header-less (the kernel rate-limits the report header to 10 per 5 s
//   host-wide, and a kill without it names no cgroup): ours while the target's
//   oom_kill counter is ahead of the kills already counted; after
//   KILL_ATTRIBUTION_MS without that, someone else's.
// - Group kills (memory.oom.group) print the first victim's task_memcg for
//   every member: only the pid says whose each one is.
// - Anything else names a cgroup outside the target: someone else's.

import type { EventOf, LabEvent } from '../events';
import type { OomKillReport } from '../kernel/report';

type Kill = EventOf<'oom-kill'>;

/** How long a held kill waits for its pid to be placed, or for the target's counter to move. */
export const KILL_ATTRIBUTION_MS = 1500;

/** What the runner knows at the moment of a decision. */
export interface KillView {
  /** The target as reports print it (/oomlab/oomlab-<runId>); null before there is one. */
  targetPath: string | null;
  /** The `cgroup` label of the target's process lists. */
  targetId: string | null;
  /** The workload whose handle knows this pid (its main pid or a worker it reported). */
  handleOf(pid: number): string | null;
  /** The target's oom_kill counter in the latest sample; null when not known. */
  counter: number | null;
  /** Milliseconds on the runner's monotonic clock. */
  now: number;
}

interface Held {
  ev: Kill;
  until: number;
}

export interface KillBook {
  /** Member pids seen in the target's process lists and in accepted kills. */
  readonly seen: ReadonlyMap<number, string>;
  /** Kills counted as this run's. */
  readonly ours: number;
  /** Header-less kills waiting for the target's counter. */
  readonly headerless: readonly Held[];
  /** Kills in the target whose pid no workload has claimed yet. */
  readonly unplaced: readonly Held[];
}

export type KillDecision = { ours: Kill } | { foreign: Kill; why: string };

export interface KillStep {
  book: KillBook;
  decisions: KillDecision[];
}

export const NO_KILLS: KillBook = { seen: new Map(), ours: 0, headerless: [], unplaced: [] };

const NO_COUNTER = " (the report names no cgroup, and this run's oom_kill counter did not move)";

export function workloadOfPid(book: KillBook, view: KillView, pid: number): string | null {
  return view.handleOf(pid) ?? book.seen.get(pid) ?? null;
}

/** The follower's first answer for a report: the victim's leaf cgroup, else its pid; for group kills the pid only. */
export function workloadOfReport(r: OomKillReport, ofCgroup: (path: string | null) => string | null, ofPid: (pid: number) => string | null): string | null {
  return r.groupKill ? ofPid(r.pid) : (ofCgroup(r.taskMemcg) ?? ofPid(r.pid));
}

export function insideTarget(path: string | null, targetPath: string | null): boolean {
  return targetPath !== null && path !== null && (path === targetPath || path.startsWith(`${targetPath}/`));
}

export function isHeaderless(r: OomKillReport): boolean {
  return r.taskMemcg === null && (r.memcg === 'unknown' || r.memcg === '');
}

/** A report from the kernel log. */
export function onKill(book: KillBook, view: KillView, e: Kill): KillStep {
  const r = e.report;
  const workload = e.workload ?? workloadOfPid(book, view, r.pid);
  const ev = workload === e.workload ? e : { ...e, workload };
  const inTarget = insideTarget(r.memcg, view.targetPath) || insideTarget(r.taskMemcg, view.targetPath);
  if (workload === null && inTarget) return { book: { ...book, unplaced: [...book.unplaced, { ev, until: view.now + KILL_ATTRIBUTION_MS }] }, decisions: [] };
  if (workload !== null || inTarget) return accept(book, ev, []);
  if (isHeaderless(r)) return countHeaderless({ ...book, headerless: [...book.headerless, { ev, until: view.now + KILL_ATTRIBUTION_MS }] }, view, []);
  return { book, decisions: [{ foreign: ev, why: '' }] };
}

/** Any other event of the run: process lists place pids, samples move the counter. */
export function onEvent(book: KillBook, view: KillView, e: LabEvent): KillStep {
  let b = book;
  if (e.kind === 'processes' && e.cgroup === view.targetId) {
    const placed = e.processes.filter((p) => p.workload && b.seen.get(p.pid) !== p.workload);
    if (placed.length) {
      const seen = new Map(b.seen);
      for (const p of placed) seen.set(p.pid, p.workload!);
      b = { ...b, seen };
    }
  }
  if (e.kind === 'sample' && b.headerless.length) return countHeaderless(b, view, []);
  if ((e.kind === 'workload-start' || e.kind === 'processes' || e.kind === 'workload-output') && b.unplaced.length) return placeUnplaced(b, view, false);
  return { book: b, decisions: [] };
}

/** Held kills whose time is up: unplaced ones become ours without a workload, header-less ones someone else's. */
export function onTime(book: KillBook, view: KillView): KillStep {
  const step = placeUnplaced(book, view, (u) => u.until <= view.now);
  const due = step.book.headerless.filter((h) => h.until <= view.now);
  if (!due.length) return step;
  return {
    book: { ...step.book, headerless: step.book.headerless.filter((h) => h.until > view.now) },
    decisions: [...step.decisions, ...due.map((h) => ({ foreign: h.ev, why: NO_COUNTER }))],
  };
}

/** The run is ending: decide every held kill now. */
export function settleKills(book: KillBook, view: KillView): KillStep {
  const placed = placeUnplaced(book, view, true);
  const counted = countHeaderless(placed.book, view, placed.decisions);
  return {
    book: { ...counted.book, headerless: [] },
    decisions: [...counted.decisions, ...counted.book.headerless.map((h) => ({ foreign: h.ev, why: NO_COUNTER }))],
  };
}

/** When the earliest held kill must be decided, or null when none is held. */
export function nextDeadline(book: KillBook): number | null {
  const all = [...book.unplaced, ...book.headerless].map((h) => h.until);
  return all.length ? Math.min(...all) : null;
}

function accept(book: KillBook, ev: Kill, decisions: KillDecision[]): KillStep {
  // memory.oom.group prints the first victim again among the members, without its cgroup: remember its pid.
  const seen = ev.workload !== null && book.seen.get(ev.report.pid) !== ev.workload ? new Map(book.seen).set(ev.report.pid, ev.workload) : book.seen;
  return { book: { ...book, seen, ours: book.ours + 1 }, decisions: [...decisions, { ours: ev }] };
}

/** Unplaced kills whose pid is placed now, or (expired) without a workload. */
function placeUnplaced(book: KillBook, view: KillView, expired: boolean | ((h: Held) => boolean)): KillStep {
  let step: KillStep = { book: { ...book, unplaced: [] }, decisions: [] };
  const keep: Held[] = [];
  for (const u of book.unplaced) {
    const workload = workloadOfPid(step.book, view, u.ev.report.pid);
    if (workload === null && !(typeof expired === 'function' ? expired(u) : expired)) keep.push(u);
    else step = accept(step.book, workload === null ? u.ev : { ...u.ev, workload }, step.decisions);
  }
  return { book: { ...step.book, unplaced: keep }, decisions: step.decisions };
}

/** Header-less kills become ours while the target's counter is ahead of the kills we have. */
function countHeaderless(book: KillBook, view: KillView, decisions: KillDecision[]): KillStep {
  let step: KillStep = { book, decisions };
  while (step.book.headerless.length && view.counter !== null && view.counter > step.book.ours) {
    const [first, ...rest] = step.book.headerless;
    step = accept({ ...step.book, headerless: rest }, first!.ev, step.decisions);
  }
  return step;
}
