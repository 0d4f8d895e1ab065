// The desktop's runs: one at a time per connected host, events pushed in
// batches, every run autosaved as a recording, pauses between steps.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LabEvent } from '../lab/events';
import type { HostFacts } from '../lab/host/facts';
import { newRunId } from '../lab/session/run-id';
import { RunRecorder } from '../lab/session/run-recorder';
import { RECORDING_EXTENSION } from '../lab/recording/format';
import type { Transport } from '../lab/ssh/transport';
import type { PushName, PushPayloadOf, RunPhase } from '../ipc';
import type { EnginePort } from './engine-port';
import type { PauseControl } from '../lab/scenario/pause-control';
import { UserError } from './errors';

export type Push = <K extends PushName>(name: K, payload: PushPayloadOf<K>) => void;

export interface RunState {
  id: string;
  hostId: string;
  phase: RunPhase;
  abort: AbortController;
  events: LabEvent[];
  buffer: LabEvent[];
  timer: NodeJS.Timeout | null;
  recorder: RunRecorder;
  scenarioId: string;
  release: (() => void) | null;
  done: Promise<void>;
}

export interface RunStart {
  hostId: string;
  transport: Transport;
  facts: HostFacts;
  scenarioId: string;
  params: Record<string, number | string>;
  pauseBetweenSteps: boolean;
}

export class Runs {
  private readonly runs = new Map<string, RunState>();

  constructor(
    private readonly deps: { engine: EnginePort; push: Push; log(msg: string): void; dataDir: string; pushIntervalMs?: number },
  ) {}

  get(runId: string): RunState {
    const r = this.runs.get(runId);
    if (!r) throw new UserError('invalid-request', `No run ${runId} in this session.`);
    return r;
  }

  /** Whether this run exists and has not ended. */
  isLive(runId: string | null): boolean {
    return runId !== null && this.runs.has(runId) && this.runs.get(runId)!.phase !== 'ended';
  }

  start(s: RunStart): RunState {
    const problem = this.deps.engine.hostProblem(s.facts);
    if (problem) throw new UserError(problem.code, problem.message, problem.data);
    const id = newRunId();
    const autosaveDir = join(this.deps.dataDir, 'recordings');
    mkdirSync(autosaveDir, { recursive: true });
    let finish!: () => void;
    const run: RunState = {
      id,
      hostId: s.hostId,
      phase: 'running',
      abort: new AbortController(),
      events: [],
      buffer: [],
      timer: null,
      recorder: new RunRecorder(join(autosaveDir, `${id}${RECORDING_EXTENSION}`)),
      scenarioId: s.scenarioId,
      release: null,
      done: new Promise<void>((r) => (finish = r)),
    };
    this.runs.set(id, run);
    this.setPhase(run, 'running', null);

    const onEvent = (e: LabEvent) => {
      run.recorder.write(e);
      run.events.push(e);
      run.buffer.push(e);
      run.timer ??= setTimeout(() => this.flush(run), this.deps.pushIntervalMs ?? 50);
    };
    const beforeStep = async (index: number, control: PauseControl) => {
      if (index === 0 || run.abort.signal.aborted) return;
      // Frozen before the screen says "paused", thawed before it says "running".
      await control.pause();
      this.flush(run);
      this.setPhase(run, 'waiting', index);
      await new Promise<void>((r) => (run.release = r));
      run.release = null;
      await control.resume();
      if (!run.abort.signal.aborted) this.setPhase(run, 'running', null);
    };

    void this.deps.engine
      .run({ transport: s.transport, facts: s.facts, scenarioId: s.scenarioId, params: s.params, runId: id, onEvent, beforeStep: s.pauseBetweenSteps ? beforeStep : undefined, signal: run.abort.signal })
      .catch((e) => {
        const err = this.deps.engine.classify(e) ?? { code: 'internal', message: (e as Error).message };
        if (err.code === 'internal') this.deps.log(`run ${id}: ${(e as Error).stack ?? e}`);
        onEvent({ kind: 'error', t: run.events.at(-1)?.t ?? 0, message: err.message });
      })
      .finally(async () => {
        this.flush(run);
        await run.recorder.end().catch((e: Error) => this.deps.log(`run ${id}: recording: ${e.message}`));
        this.setPhase(run, 'ended', null);
        finish();
      });
    return run;
  }

  /** Stop a run (if it still goes) and wait until everything it made is removed. */
  async stop(run: RunState): Promise<void> {
    if (run.phase !== 'ended') {
      this.setPhase(run, 'stopping', null);
      run.abort.abort();
      run.release?.();
    }
    await run.done;
  }

  private flush(run: RunState): void {
    if (run.timer) clearTimeout(run.timer);
    run.timer = null;
    if (run.buffer.length === 0) return;
    const events = run.buffer;
    run.buffer = [];
    this.deps.push('runEvents', { runId: run.id, events });
  }

  private setPhase(run: RunState, phase: RunPhase, nextStep: number | null): void {
    run.phase = phase;
    this.deps.push('runPhase', { runId: run.id, phase, nextStep });
  }
}
