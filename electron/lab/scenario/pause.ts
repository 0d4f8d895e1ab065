// Pausing a run: the runner's waits stop counting (event-gate.ts) and the
// kernel freezes the target (targets/freeze.ts), so nothing moves while the
// screen says "paused"; the sampler goes on and draws the flat line. Where the
// target cannot freeze, only the runner waits and the pause event says why.
// A kill the kernel chose before the freeze still completes (an OOM victim is
// never frozen: docs/pause.md); resume names such kills.

import type { PauseControl } from './pause-control';
import type { RunState } from './run-state';

/** Why a pause on this run would hold the runner only, or null when the target freezes. */
export function freezeProblemOf(r: RunState): string | null {
  const target = r.target;
  if (!target) return null;
  if (!target.freeze) return `a ${target.kind} target cannot be frozen`;
  return target.freezeProblem?.() ?? null;
}

export function pauseControl(r: RunState): PauseControl {
  let chain: Promise<void> = Promise.resolve();
  let pausedAt: { t: number; events: number; frozen: boolean } | null = null;
  // One at a time: a resume pressed while the freeze is still being written waits for it.
  const serial = (f: () => Promise<void>) => (chain = chain.then(f, f));

  const pause = async () => {
    if (pausedAt || !r.clock) return;
    r.gate.pause();
    const t = r.now();
    pausedAt = { t, events: r.events.length, frozen: false };
    const problem = freezeProblemOf(r);
    let how: string | null = null;
    let frozenAt: number | null = null;
    let warning: string | null = problem ? `${problem}: only the runner pauses, the workloads keep running` : null;
    if (!problem && r.target?.freeze && r.targetCreated) {
      try {
        how = await r.target.freeze();
        pausedAt.frozen = true;
        // The freeze takes a round trip (docker pause: hundreds of ms on a loaded host); samples stamped before this still move.
        frozenAt = r.now();
      } catch (e) {
        warning = `${(e as Error).message}: only the runner pauses, the workloads keep running`;
      }
    }
    r.emit({ kind: 'pause', t, step: r.stepIndex, frozen: pausedAt.frozen, how, warning, ...(frozenAt === null ? {} : { frozenAt }) });
  };

  const resume = async () => {
    if (!pausedAt) return;
    const p = pausedAt;
    // Stamped when the thaw is asked for: the workload may move again before the answer comes back.
    const at = r.now();
    if (p.frozen) {
      try {
        await r.target?.thaw?.();
      } catch (e) {
        r.say({ kind: 'warning', message: `${(e as Error).message}: the target may still be frozen` });
      }
    }
    const kills = r.events.slice(p.events).filter((e) => e.kind === 'oom-kill').length;
    if (kills && p.frozen) r.say({ kind: 'warning', message: `${kills} OOM kill${kills > 1 ? 's' : ''} during the pause: the kernel had chosen the victim before the freeze, and an OOM victim is never frozen` });
    pausedAt = null;
    r.emit({ kind: 'resume', t: at, step: r.stepIndex, pausedMs: Math.max(0, at - p.t) });
    r.gate.resume();
  };

  return {
    pause: () => serial(pause),
    resume: () => serial(resume),
    get paused() {
      return pausedAt !== null;
    },
  };
}
