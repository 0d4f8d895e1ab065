// cgroup v1 and v2 targets. Both share the layout (lab parent / target /
// one leaf per workload), the owner record and the teardown; they differ in
// file names and knobs, which live in the small flavour objects below.

import { holdLease, type Lease } from './lease';
import type { HostFacts } from '../host/facts';
import type { MemorySample, ProcessRow, TargetKind } from '../events';
import { asRoot, Script, sh } from '../ssh/quote';
import { execAsRoot } from '../ssh/sudo';
import type { Transport } from '../ssh/transport';
import { parseSamplerOutput } from '../sampler/parse';
import { samplerCommand } from '../sampler/script';
import {
  checkMount,
  checkRunId,
  LAB_PARENT,
  leafName,
  MEMSW_HEADROOM_BYTES,
  RECORD_DIR,
  SCRATCH_PREFIX,
  TARGET_PREFIX,
  targetName,
  workloadFromPath,
} from './names';
import { DESTROY_FNS, WRITE_FN } from './shell';
import { KNOBS_BY_KIND, TargetError, UnsupportedKnobError, type Knob, type KnobValues, type Target, type TargetSpec, type WorkloadCgroup } from './target';

export interface SweepOptions {
  /** Target names (oomlab-<runId>) to leave alone, e.g. the run that is starting. */
  keep?: string[];
  /** Also remove targets whose run still holds its lease (a run in progress). */
  force?: boolean;
}

/** The JSON kept in /run/oomlab/<name>.json. */
export interface OwnerRecord {
  marker: 'oomlab';
  runId: string;
  name: string;
  kind: TargetKind;
  path: string;
  createdAt: string;
  appVersion: string;
}

type CgroupKind = 'cgroup-v1' | 'cgroup-v2';

function kindFor(facts: HostFacts, mount: string, forced?: CgroupKind): CgroupKind {
  if (forced) return forced;
  if (facts.cgroup === 'v2') return 'cgroup-v2';
  if (facts.cgroup === 'v1') return 'cgroup-v1';
  // hybrid: the memory controller is on v1 when its mount is a v1 memory mount.
  return /\/memory$/.test(mount) ? 'cgroup-v1' : 'cgroup-v2';
}

const bytesOrMax = (v: number | null, unlimited: string): string => (v === null ? unlimited : String(Math.floor(v)));

function checkBytes(name: string, v: number | null): void {
  if (v !== null && (!Number.isFinite(v) || v < 0 || !Number.isInteger(v))) throw new TargetError(`${name}: expected a whole number of bytes or null, got ${v}`);
}

class CgroupTarget implements Target {
  readonly id = 'target';
  readonly name: string;
  readonly path: string;
  readonly hierarchyPath: string;
  readonly ownerRecord: string;
  readonly scratchDir: string;
  readonly limitBytes: number | null;
  swapPinned: boolean;
  readonly warnings: string[] = [];
  private readonly parent: string;
  private lease: Lease | null = null;

  constructor(
    private readonly transport: Transport,
    private readonly facts: HostFacts,
    private readonly spec: TargetSpec,
    readonly kind: CgroupKind,
    private readonly mount: string,
  ) {
    checkRunId(spec.runId);
    checkBytes('limitBytes', spec.limitBytes);
    this.name = targetName(spec.runId);
    this.parent = `${mount}/${LAB_PARENT}`;
    this.path = `${this.parent}/${this.name}`;
    this.hierarchyPath = `/${LAB_PARENT}/${this.name}`;
    this.ownerRecord = `${RECORD_DIR}/${this.name}.json`;
    this.scratchDir = `${SCRATCH_PREFIX}${spec.runId}`;
    this.limitBytes = spec.limitBytes;
    this.swapPinned = (spec.swap ?? 'pinned') === 'pinned';
  }

  private async run(what: string, script: string, timeoutMs = 30_000): Promise<string> {
    const r = await this.transport.exec(asRoot(script, this.facts.root), { timeoutMs });
    if (r.code !== 0) {
      const detail = r.stderr.trim() || r.error || (r.signal ? `killed by ${r.signal}` : `exit ${r.code}`);
      throw new TargetError(`${this.transport.label}: ${what} ${this.path}: ${detail}`);
    }
    return r.stdout;
  }

  /**
   * The lease (targets/lease.ts) on the owner record, taken before mkdir and
   * held while this run's channel lives: a sweep skips a run in progress (here
   * or from another app); a crashed run's lease dies with its channel.
   */
  private async takeLease(): Promise<void> {
    this.lease = await holdLease(this.transport, this.facts, this.ownerRecord);
    if (this.lease.warning) this.warnings.push(this.lease.warning);
  }

  private releaseLease(): void {
    this.lease?.release();
    this.lease = null;
  }

  async create(): Promise<void> {
    try {
      await this.takeLease();
    } catch (e) {
      this.releaseLease();
      throw e;
    }
    try {
      await this.createCgroup();
    } catch (e) {
      this.releaseLease();
      throw e;
    }
  }

  private async createCgroup(): Promise<void> {
    const record: OwnerRecord = {
      marker: 'oomlab',
      runId: this.spec.runId,
      name: this.name,
      kind: this.kind,
      path: this.path,
      createdAt: new Date().toISOString(),
      appVersion: this.spec.appVersion,
    };
    const pinned = this.swapPinned;
    const limit = this.spec.limitBytes;
    let setup: string;
    if (this.kind === 'cgroup-v1') {
      const memsw = pinned && this.facts.memswAccounting && limit !== null;
      setup = sh`w "$T/memory.limit_in_bytes" ${bytesOrMax(limit, '-1')} || exit 1
${new Script(memsw ? sh`w "$T/memory.memsw.limit_in_bytes" ${limit! + MEMSW_HEADROOM_BYTES} || exit 1` : ':')}
`;
      if (pinned && !this.facts.memswAccounting && this.facts.swapTotalBytes > 0) {
        this.swapPinned = false;
        this.warnings.push(`${this.transport.label}: swap cannot be pinned (the kernel has no memsw accounting; boot with swapaccount=1); the limit may push pages to swap instead of killing`);
      }
    } else {
      // v2: controllers must be enabled top-down so that the target and its leaves are memory cgroups.
      setup = sh`w "$T/memory.max" ${bytesOrMax(limit, 'max')} || exit 1
${new Script(
  pinned
    ? `if [ -f "$T/memory.swap.max" ]; then w "$T/memory.swap.max" 0 || exit 1; else echo "@noswapmax"; fi`
    : ':',
)}
w "$T/cgroup.subtree_control" +memory || exit 1
`;
    }
    const v2Enable =
      this.kind === 'cgroup-v2'
        ? `en() { read -r c < "$1/cgroup.subtree_control"; case " $c " in *" memory "*) ;; *) w "$1/cgroup.subtree_control" +memory || exit 1 ;; esac; }
en "$M"; en "$P"
`
        : '';
    const script = sh`${WRITE_FN}${DESTROY_FNS}M=${this.mount}; P=${this.parent}; T=${this.path}; R=${this.ownerRecord}; S=${this.scratchDir}
[ -d "$M" ] || { echo "no memory cgroup mount at $M" >&2; exit 1; }
if [ -e "$T" ]; then echo "$T already exists (a run with this id is active or left over; run oomlab cleanup)" >&2; exit 1; fi
i=0
until mkdir "$T" 2>/dev/null; do
  # The lab parent may be missing, or removed by another run's teardown between our mkdirs.
  mkdir "$P" 2>/dev/null
  i=$((i+1)); [ $i -ge 5 ] && { mkdir "$T" || exit 1; break; }
done
${new Script(v2Enable)}mkdir -p ${RECORD_DIR} && printf '%s\\n' ${JSON.stringify(record)} > "$R" || { echo "cannot write the owner record $R" >&2; oomlab_destroy "$T" "$R" "$S"; exit 1; }
mkdir -p -m 0700 "$S" || { echo "cannot create $S" >&2; oomlab_destroy "$T" "$R" "$S"; exit 1; }
( ${new Script(setup)} ) || { oomlab_destroy "$T" "$R" "$S"; rmdir "$P" 2>/dev/null; exit 1; }
`;
    const out = await this.run('cannot create', script);
    if (out.includes('@noswapmax')) {
      if (this.facts.swapTotalBytes > 0) {
        this.swapPinned = false;
        this.warnings.push(`${this.transport.label}: memory.swap.max is missing (no swap accounting), so swap cannot be pinned`);
      }
    }
  }

  async setKnob<K extends Knob>(knob: K, value: KnobValues[K]): Promise<void> {
    if (!KNOBS_BY_KIND[this.kind].includes(knob)) throw new UnsupportedKnobError(this.kind, knob);
    let body: string;
    switch (knob) {
      case 'limit': {
        const v = value as number | null;
        checkBytes('limit', v);
        if (this.kind === 'cgroup-v2') body = sh`w "$T/memory.max" ${bytesOrMax(v, 'max')}`;
        else if (this.swapPinned && this.facts.memswAccounting) {
          // memsw must stay >= the limit: lowering writes the limit first, raising memsw first.
          const mem = bytesOrMax(v, '-1');
          const memsw = v === null ? '-1' : String(v + MEMSW_HEADROOM_BYTES);
          body = sh`{ w "$T/memory.limit_in_bytes" ${mem} 2>/dev/null && w "$T/memory.memsw.limit_in_bytes" ${memsw}; } || { w "$T/memory.memsw.limit_in_bytes" ${memsw} && w "$T/memory.limit_in_bytes" ${mem}; }`;
        } else body = sh`w "$T/memory.limit_in_bytes" ${bytesOrMax(v, '-1')}`;
        break;
      }
      case 'oom-kill-disable':
        body = sh`w "$T/memory.oom_control" ${value ? 1 : 0}`;
        break;
      case 'soft-limit':
        checkBytes('soft-limit', value as number | null);
        body = sh`w "$T/memory.soft_limit_in_bytes" ${bytesOrMax(value as number | null, '-1')}`;
        break;
      case 'high':
        checkBytes('high', value as number | null);
        body = sh`w "$T/memory.high" ${bytesOrMax(value as number | null, 'max')}`;
        break;
      case 'oom-group':
        body = sh`w "$T/memory.oom.group" ${value ? 1 : 0}`;
        break;
      default:
        throw new UnsupportedKnobError(this.kind, knob);
    }
    await this.run(`cannot set ${knob} on`, sh`${WRITE_FN}T=${this.path}
${new Script(body)}`);
  }

  private async sampleOnce(): Promise<ReturnType<typeof parseSamplerOutput>> {
    const cmd = samplerCommand({ kind: this.kind, path: this.path, intervalMs: 50, processEvery: 1, pageSize: this.facts.pageSize, once: true });
    const r = await this.transport.exec(cmd, { timeoutMs: 15_000 });
    if (r.code !== 0) throw new TargetError(`${this.transport.label}: cannot read ${this.path}: ${r.stderr.trim() || `exit ${r.code}`}`);
    return parseSamplerOutput(r.stdout, this.kind, this.id);
  }

  async readSample(): Promise<MemorySample> {
    const out = await this.sampleOnce();
    const s = out.samples[0];
    if (!s) throw new TargetError(`${this.transport.label}: no counters read from ${this.path}${out.errors.length ? `: ${out.errors.join('; ')}` : ''}`);
    return s.sample;
  }

  async listProcesses(): Promise<ProcessRow[]> {
    const out = await this.sampleOnce();
    return out.processes[0]?.processes ?? [];
  }

  async prepareWorkload(workload: string): Promise<WorkloadCgroup> {
    const leaf = leafName(workload);
    const dir = `${this.path}/${leaf}`;
    await this.run(`cannot create the workload cgroup ${leaf} in`, sh`[ -d ${this.path} ] || { echo "the target does not exist" >&2; exit 1; }
[ -d ${dir} ] || mkdir ${dir}`);
    return { workload, dir, procsFile: `${dir}/cgroup.procs`, hierarchyPath: `${this.hierarchyPath}/${leaf}` };
  }

  workloadOfCgroup(path: string | null): string | null {
    return workloadFromPath(this.hierarchyPath, path);
  }

  async destroy(): Promise<void> {
    const script = sh`${DESTROY_FNS}oomlab_destroy ${this.path} ${this.ownerRecord} ${this.scratchDir} || exit 1
rmdir ${this.parent} 2>/dev/null
exit 0`;
    let last: unknown;
    // The script retries for ~3 s itself; a second round covers a transient exec failure.
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.run('cannot remove', script, 60_000);
        this.releaseLease();
        return;
      } catch (e) {
        last = e;
      }
    }
    throw last;
  }
}

export function createTarget(transport: Transport, facts: HostFacts, spec: TargetSpec): Target {
  const mount = checkMount(facts.memoryMount, transport.label);
  const kind = kindFor(facts, mount, spec.kind);
  if (!facts.memoryController) throw new TargetError(`${transport.label}: the memory controller is not available (${kind})`);
  if (!facts.root && !facts.sudo) throw new TargetError(`${transport.label}: creating a cgroup needs root or passwordless sudo`);
  return new CgroupTarget(transport, facts, spec, kind, mount);
}

/**
 * Remove every oomlab-* target under the lab parent (killing members first),
 * orphaned owner records and scratch dirs, and the lab parent when empty.
 * Returns what it removed (cgroup paths, then other paths).
 */
export async function sweepLeftovers(transport: Transport, facts: HostFacts, opts: SweepOptions = {}): Promise<string[]> {
  const mount = checkMount(facts.memoryMount, transport.label);
  const keep = (opts.keep ?? []).map((n) => {
    if (!n.startsWith(TARGET_PREFIX)) throw new TargetError(`sweep keep: ${JSON.stringify(n)} is not an oomlab target name`);
    return targetName(n.slice(TARGET_PREFIX.length));
  });
  const parent = `${mount}/${LAB_PARENT}`;
  const script = sh`${DESTROY_FNS}P=${parent}; KEEP=${` ${keep.join(' ')} `}; FORCE=${opts.force ? '1' : ''}; fail=0
if [ -d "$P" ]; then
  for t in "$P"/${new Script(TARGET_PREFIX)}*/; do
    [ -d "$t" ] || continue
    t=\${t%/}; n=\${t##*/}
    case "$KEEP" in *" $n "*) continue ;; esac
    r=${RECORD_DIR}/$n.json; s=${SCRATCH_PREFIX}\${n#${new Script(TARGET_PREFIX)}}
    if [ -z "$FORCE" ] && [ -f "$r" ] && command -v flock >/dev/null 2>&1 && ! flock -n -x "$r" true 2>/dev/null; then echo "busy $t"; continue; fi
    if oomlab_destroy "$t" "$r" "$s"; then echo "removed $t"; else fail=1; fi
  done
fi
for r in ${RECORD_DIR}/${new Script(TARGET_PREFIX)}*.json; do
  [ -f "$r" ] || continue
  n=\${r##*/}; n=\${n%.json}
  [ -d "$P/$n" ] && continue
  if [ -z "$FORCE" ] && command -v flock >/dev/null 2>&1 && ! flock -n -x "$r" true 2>/dev/null; then continue; fi
  rm -f "$r" && echo "removed $r"
done
for s in ${SCRATCH_PREFIX}*/; do
  [ -d "$s" ] || continue
  s=\${s%/}; n=${TARGET_PREFIX}\${s#${SCRATCH_PREFIX}}
  [ -d "$P/$n" ] && continue
  rm -rf "$s" && echo "removed $s"
done
[ -d "$P" ] && rmdir "$P" 2>/dev/null && echo "removed $P"
exit $fail`;
  const r = await execAsRoot(transport, script, facts.root, { timeoutMs: 120_000 });
  const removed = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('removed '))
    .map((l) => l.slice('removed '.length));
  if (r.code !== 0) throw new TargetError(`${transport.label}: sweep of ${parent} incomplete: ${r.stderr.trim() || `exit ${r.code}`} (removed: ${removed.join(', ') || 'nothing'})`);
  return removed;
}
