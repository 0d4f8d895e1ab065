// A workload in a cgroup target: its own leaf wl-<id>, joined by the wrapper
// (workloads/wrapper.ts) before anything runs. The host's perl or python3 runs
// the ramp when it has them.

import { sh } from '../ssh/quote';
import type { Transport } from '../ssh/transport';
import type { EmitEvent, RemoteContext } from '../remote';
import type { CgroupKind } from '../sampler/source';
import { buildWorkload, type RampImpl } from '../workloads/commands';
import type { WorkloadHandle, WorkloadSpec } from '../workloads/spec';
import { superviseWorkload } from '../workloads/supervisor';
import { WRAPPER_REFUSED, wrapperScript } from '../workloads/wrapper';
import type { WorkloadCgroup } from './names';

/** What a cgroup workload needs of its target. */
export interface LeafHost {
  readonly kind: CgroupKind;
  readonly scratchDir: string;
  prepareWorkload(workload: string): Promise<WorkloadCgroup>;
  /** v1: the freezer leaf the workload joins so a pause can freeze it. */
  freezerOf?(workload: string): { procsFile: string; targetDir: string } | null;
}

const rampImplCache = new WeakMap<Transport, Promise<RampImpl>>();

/** perl, else python3, else sh: what the host has (asked once per transport). */
function detectRampImpl(transport: Transport): Promise<RampImpl> {
  let p = rampImplCache.get(transport);
  if (!p) {
    p = transport
      .exec('if command -v perl >/dev/null 2>&1 && perl -MTime::HiRes -e 1 2>/dev/null; then echo perl; elif command -v python3 >/dev/null 2>&1; then echo python3; else echo sh; fi', { timeoutMs: 15_000 })
      .then((r) => {
        const v = r.stdout.trim();
        return v === 'perl' || v === 'python3' ? v : 'sh';
      });
    rampImplCache.set(transport, p);
  }
  return p;
}

/** The leaf's oom_kill counter, or null when it cannot be read. */
async function leafOomKills(transport: Transport, kind: CgroupKind, dir: string): Promise<number | null> {
  const file = `${dir}/${kind === 'cgroup-v1' ? 'memory.oom_control' : 'memory.events'}`;
  try {
    const r = await transport.exec(sh`while read -r k v; do [ "$k" = oom_kill ] && echo "$v"; done < ${file}`, { timeoutMs: 10_000 });
    const n = Number(r.stdout.trim());
    return r.code === 0 && r.stdout.trim() !== '' && Number.isFinite(n) ? n : null;
  } catch {
    return null;
  }
}

export function startCgroupWorkload(ctx: RemoteContext, target: LeafHost, id: string, spec: WorkloadSpec, onEvent: EmitEvent): WorkloadHandle {
  const { transport } = ctx;
  let leaf: WorkloadCgroup | null = null;
  return superviseWorkload(ctx, id, spec, onEvent, {
    where: '',
    toolProblem: (tool) => (ctx.facts.tools[tool] === false ? `${tool} is not installed on ${transport.label}` : null),
    refused: { code: WRAPPER_REFUSED, why: 'the wrapper could not join the cgroup' },
    prepare: async () => {
      const rampImpl: RampImpl = spec.kind === 'ramp' ? await detectRampImpl(transport) : 'sh';
      const l = await target.prepareWorkload(id);
      leaf = l;
      const built = buildWorkload(spec, { rampImpl, scratchDir: target.scratchDir, workload: id });
      return {
        cgroup: l.hierarchyPath,
        built,
        wrapper: (nonce) => wrapperScript({ nonce, kind: target.kind, dir: l.dir, hierarchyPath: l.hierarchyPath, timeCapSec: spec.timeCapSec, oomScoreAdj: spec.oomScoreAdj ?? null, argv: built.argv, cleanupFile: built.cleanupFile, freezer: target.freezerOf?.(id) ?? null }),
      };
    },
    // stress names the worker the kernel killed: remember it as ours.
    onOutput: (line, _fd, run) => {
      const w = /<-- worker (\d+) got signal/.exec(line);
      if (w) run.pids.add(Number(w[1]));
    },
    killedWithoutMarker: async () => (leaf ? ((await leafOomKills(transport, target.kind, leaf.dir)) ?? 0) > 0 : false),
  });
}
