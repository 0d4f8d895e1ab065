// The sampler: ONE long-lived remote bash loop per sampled cgroup (sampler/script.ts)
// that reads the counters with builtins only and prints one line per tick;
// parse.ts turns the lines into `sample` and `processes` events.

import type { MemorySample, ProcessRow } from '../events';
import type { EmitEvent, RemoteContext } from '../remote';
import { SamplerParser } from './parse';
import { samplerCommand } from './script';
import type { SampledCgroup } from './source';

export interface SamplerOptions {
  /** Counter tick, default 50 ms; must sustain 10 ms (100 Hz). */
  intervalMs?: number;
  /** Member-process tick (pid, comm, VmRSS, oom_score, oom_score_adj), default 500 ms. */
  processIntervalMs?: number;
}

export interface SamplerHandle {
  /** The remote loop's pid on the host, once it reported it. */
  readonly pid: Promise<number>;
  /** Latest sample, or null before the first tick. */
  latest(): MemorySample | null;
  latestProcesses(): ProcessRow[] | null;
  /** Number of sample lines received. */
  readonly count: number;
  /** Close the channel; the loop exits on EOF. Resolves when it has. */
  stop(): Promise<void>;
  /** Resolves when the remote loop ended (stop, error or lost channel). */
  readonly exited: Promise<void>;
}

const MAX_WARNINGS = 20;

export function startSampler(ctx: RemoteContext, cgroup: SampledCgroup, opts: SamplerOptions, onEvent: EmitEvent): SamplerHandle {
  const kind = cgroup.cgroupKind;
  const intervalMs = opts.intervalMs ?? 50;
  const processIntervalMs = opts.processIntervalMs ?? 500;
  const processEvery = processIntervalMs <= 0 ? 0 : Math.max(1, Math.round(processIntervalMs / intervalMs));
  const cmd = samplerCommand({ kind, path: cgroup.path, intervalMs, processEvery, pageSize: ctx.facts.pageSize });
  const parser = new SamplerParser(kind, cgroup.id);
  let latest: MemorySample | null = null;
  let latestProcs: ProcessRow[] | null = null;
  let count = 0;
  let warnings = 0;
  let resolvePid!: (pid: number) => void;
  let rejectPid!: (e: Error) => void;
  const pid = new Promise<number>((res, rej) => {
    resolvePid = res;
    rejectPid = rej;
  });
  pid.catch(() => {}); // only a caller that asks sees the rejection
  const warn = (message: string) => {
    if (warnings++ < MAX_WARNINGS) onEvent({ kind: 'warning', message: `sampler on ${ctx.transport.label}: ${message}`, t: ctx.clock.now() });
  };
  const handle = (line: string) => {
    for (const item of parser.push(line)) {
      switch (item.type) {
        case 'hello':
          resolvePid(item.pid);
          break;
        case 'sample':
          count++;
          latest = item.sample;
          onEvent({ kind: 'sample', ...item.sample, t: ctx.clock.toRunTime(item.epochMs) });
          break;
        case 'processes':
          latestProcs = item.processes;
          onEvent({ kind: 'processes', cgroup: cgroup.id, processes: item.processes, t: ctx.clock.toRunTime(item.epochMs) });
          break;
        case 'gone':
          break;
        case 'error':
          warn(item.message);
          break;
      }
    }
  };
  const proc = ctx.transport.stream(cmd, {
    onLine: (line, fd) => {
      if (fd === 'stderr') warn(line);
      else handle(line);
    },
  });
  const exited = proc.exit.then((info) => {
    for (const item of parser.end()) if (item.type === 'processes') onEvent({ kind: 'processes', cgroup: cgroup.id, processes: item.processes, t: ctx.clock.toRunTime(item.epochMs) });
    rejectPid(new Error(`sampler ended before it started (${info.error ?? `exit ${info.code ?? info.signal}`})`));
  });
  return {
    pid,
    latest: () => latest,
    latestProcesses: () => latestProcs,
    get count() {
      return count;
    },
    stop: async () => {
      proc.close();
      await exited;
    },
    exited,
  };
}
