// Runs the sampler loop over the transport and turns its lines into events.

import type { MemorySample, ProcessRow } from '../events';
import type { Target } from '../targets/target';
import type { EmitEvent, RemoteContext } from '../workloads/spec';
import { SamplerParser } from './parse';
import type { SamplerHandle, SamplerOptions } from './sampler';
import { samplerCommand } from './script';

const MAX_WARNINGS = 20;

export function startSampler(ctx: RemoteContext, target: Target, opts: SamplerOptions, onEvent: EmitEvent): SamplerHandle {
  // A container target is a v1 or v2 memory cgroup underneath (target.cgroupKind).
  const kind = target.cgroupKind ?? target.kind;
  if (kind !== 'cgroup-v1' && kind !== 'cgroup-v2') throw new Error(`the sampler reads cgroups; ${target.kind} targets are not supported yet`);
  const intervalMs = opts.intervalMs ?? 50;
  const processIntervalMs = opts.processIntervalMs ?? 500;
  const processEvery = processIntervalMs <= 0 ? 0 : Math.max(1, Math.round(processIntervalMs / intervalMs));
  const cmd = samplerCommand({ kind, path: target.path, intervalMs, processEvery, pageSize: ctx.facts.pageSize });
  const parser = new SamplerParser(kind, target.id);
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
          onEvent({ kind: 'processes', cgroup: target.id, processes: item.processes, t: ctx.clock.toRunTime(item.epochMs) });
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
    for (const item of parser.end()) if (item.type === 'processes') onEvent({ kind: 'processes', cgroup: target.id, processes: item.processes, t: ctx.clock.toRunTime(item.epochMs) });
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
