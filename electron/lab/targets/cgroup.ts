// cgroup v1 and v2 targets. Both share the layout, the owner record and the
// teardown; they differ in file names and knobs.
//
// Layout on the host (one lab parent; everything named oomlab-*):
//   <memoryMount>/oomlab/oomlab-<runId>/           the target, carries the limit
//   <memoryMount>/oomlab/oomlab-<runId>/wl-<id>/   one leaf per workload (no limit of its own)
// v2 enables +memory in the subtree_control of the root, of oomlab and of the
// target so the leaves are memory cgroups. A leaf per workload lets an OOM
// report's task_memcg name the workload even when the victim is a child the
// engine never saw (stress forks its workers); v1 counts a kill only in the
// victim's own cgroup, so the sampler adds up the leaves' oom_kill.
// Owner record: cgroupfs allows no files of ours, so it is a JSON file on tmpfs,
//   /run/oomlab/oomlab-<runId>.json  {marker, runId, name, kind, path, createdAt, appVersion, scratch}
// and the run's lease (lease.ts) is a shared flock on it. The scratch dir (the
// cache writer's file, written by root) is made by mktemp -d: root's, 0700, a
// random suffix nobody can plant beforehand; only the record says where it is.
// Nothing is removed that the record does not name (a cgroup that existed
// before create() stays, also when cleanup then calls destroy()). Swap: v1 pins it with
// memsw = limit + 2 MiB (names.ts says why), v2 with memory.swap.max = 0.

import { createUnderLease, OWNED_FN, type Lease } from './lease';
import type { HostFacts } from '../host/facts';
import type { MemorySample, ProcessRow, TargetKind } from '../events';
import type { EmitEvent, RemoteContext } from '../remote';
import { asRoot, Script, sh } from '../ssh/quote';
import type { Transport } from '../ssh/transport';
import type { CgroupKind } from '../sampler/source';
import type { WorkloadHandle, WorkloadSpec } from '../workloads/spec';
import {
  checkMount,
  checkRunId,
  LAB_PARENT,
  leafName,
  MEMSW_HEADROOM_BYTES,
  RECORD_DIR,
  SCRATCH_PREFIX,
  targetName,
  workloadFromPath,
  type WorkloadCgroup,
} from './names';
import { startCgroupWorkload } from './cgroup-workload';
import { runAsRoot } from './exec';
import { freezeCgroup, freezerDirOf, thawCgroup } from './freeze';
import { listProcessesOnce, readSampleOnce } from './sample-once';
import { DESTROY_FNS, WRITE_FN } from './shell';
import { KNOBS_BY_KIND, TargetError, UnsupportedKnobError, type Knob, type KnobValues, type Target, type TargetSpec } from './target';

/** The JSON kept in /run/oomlab/<name>.json. */
export interface OwnerRecord {
  marker: 'oomlab';
  runId: string;
  name: string;
  kind: TargetKind;
  path: string;
  createdAt: string;
  appVersion: string;
  /** The run's scratch dir, /var/tmp/oomlab-<runId>.<random>. */
  scratch: string;
}

/** create() exits with this when the target's cgroup existed before: it is not ours. */
const EXISTED = 17;

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

export class CgroupTarget implements Target {
  readonly id = 'target';
  readonly name: string;
  readonly path: string;
  readonly cgroupKind: CgroupKind;
  readonly hierarchyPath: string;
  readonly ownerRecord: string;
  readonly limitBytes: number | null;
  swapPinned: boolean;
  readonly warnings: string[] = [];
  private readonly parent: string;
  /** v1: the same target in the freezer hierarchy (pauses freeze it), when the host mounts one. */
  private readonly freezerDir: string | null;
  private freezerMade = false;
  private freezerFailed: string | null = null;
  private lease: Lease | null = null;
  private scratch: string | null = null;
  /** Set when create() found the cgroup there already: destroy() then removes nothing. */
  private existed = false;

  constructor(
    private readonly transport: Transport,
    private readonly facts: HostFacts,
    private readonly spec: TargetSpec,
    readonly kind: CgroupKind,
    private readonly mount: string,
  ) {
    this.cgroupKind = kind;
    checkRunId(spec.runId);
    checkBytes('limitBytes', spec.limitBytes);
    this.name = targetName(spec.runId);
    this.parent = `${mount}/${LAB_PARENT}`;
    this.path = `${this.parent}/${this.name}`;
    this.hierarchyPath = `/${LAB_PARENT}/${this.name}`;
    this.ownerRecord = `${RECORD_DIR}/${this.name}.json`;
    this.limitBytes = spec.limitBytes;
    this.swapPinned = (spec.swap ?? 'pinned') === 'pinned';
    this.freezerDir = kind === 'cgroup-v1' ? freezerDirOf(facts, this.path) : null;
  }

  /** Made by create() (mktemp -d); a target that was not created has none. */
  get scratchDir(): string {
    if (!this.scratch) throw new TargetError(`${this.transport.label}: ${this.path} has no scratch dir (not created)`);
    return this.scratch;
  }

  private run(what: string, script: string, timeoutMs = 30_000): Promise<string> {
    return runAsRoot(this.transport, this.facts, `${what} ${this.path}`, script, timeoutMs);
  }

  private releaseLease(): void {
    this.lease?.release();
    this.lease = null;
  }

  /** The lease is a shared flock on the owner record, taken before mkdir (lease.ts). */
  async create(): Promise<void> {
    this.lease = await createUnderLease(this.transport, this.facts, this.ownerRecord, this.warnings, () => this.createCgroup());
  }

  private async createCgroup(): Promise<void> {
    const record: Omit<OwnerRecord, 'scratch'> = {
      marker: 'oomlab',
      runId: this.spec.runId,
      name: this.name,
      kind: this.kind,
      path: this.path,
      createdAt: new Date().toISOString(),
      appVersion: this.spec.appVersion,
    };
    // The scratch path comes from mktemp on the host: the record is finished there.
    const recordHead = `${JSON.stringify(record).slice(0, -1)},"scratch":"`;
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
    const existed = `echo "$T already exists and is not this run's (left alone; oomlab cleanup removes only what the lab made)" >&2; exit ${EXISTED}`;
    const script = sh`${WRITE_FN}${DESTROY_FNS}M=${this.mount}; P=${this.parent}; T=${this.path}; R=${this.ownerRecord}
[ -d "$M" ] || { echo "no memory cgroup mount at $M" >&2; exit 1; }
[ -e "$T" ] && { ${new Script(existed)}; }
S=$(mktemp -d ${`${SCRATCH_PREFIX}${this.spec.runId}.XXXXXXXXXX`}) || { echo "cannot create a scratch dir (mktemp -d ${SCRATCH_PREFIX}...)" >&2; exit 1; }
mkdir -p ${RECORD_DIR} && printf '%s%s"}\\n' ${recordHead} "$S" > "$R" || { echo "cannot write the owner record $R" >&2; rm -rf "$S"; exit 1; }
i=0
until mkdir "$T" 2>/dev/null; do
  [ -e "$T" ] && { rm -rf "$S"; rm -f "$R"; ${new Script(existed)}; }
  # The lab parent may be missing, or removed by another run's teardown between our mkdirs.
  mkdir "$P" 2>/dev/null
  i=$((i+1)); [ $i -ge 5 ] && { mkdir "$T" || { rm -rf "$S"; rm -f "$R"; exit 1; }; break; }
done
echo "@scratch $S"
${new Script(v2Enable)}( ${new Script(setup)} ) || { oomlab_destroy "$T" "$R"; rmdir "$P" 2>/dev/null; exit 1; }
`;
    const r = await this.transport.exec(asRoot(script, this.facts.root), { timeoutMs: 30_000 });
    if (r.code === EXISTED) this.existed = true;
    if (r.code !== 0) throw new TargetError(`${this.transport.label}: cannot create ${this.path}: ${r.stderr.trim() || r.error || `exit ${r.code ?? r.signal}`}`);
    const out = r.stdout;
    const scratch = /^@scratch (\S+)$/m.exec(out)?.[1];
    if (!scratch || !scratch.startsWith(`${SCRATCH_PREFIX}${this.spec.runId}.`)) throw new TargetError(`${this.transport.label}: cannot create ${this.path}: mktemp gave no scratch dir`);
    this.scratch = scratch;
    if (this.freezerDir) {
      // The freezer is a hierarchy of its own: the same names under its mount, joined by the workload (wrapper.ts).
      const r = await this.transport.exec(asRoot(sh`mkdir -p ${this.freezerDir}`, this.facts.root), { timeoutMs: 30_000 });
      if (r.code === 0) this.freezerMade = true;
      else this.freezerFailed = `cannot create ${this.freezerDir} (${r.stderr.trim()})`;
    }
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

  readSample(): Promise<MemorySample> {
    return readSampleOnce(this.transport, this.facts, this);
  }

  listProcesses(): Promise<ProcessRow[]> {
    return listProcessesOnce(this.transport, this.facts, this);
  }

  /** Create (idempotent) the leaf cgroup wl-<id> a workload joins (and its freezer twin on v1). */
  async prepareWorkload(workload: string): Promise<WorkloadCgroup> {
    const leaf = leafName(workload);
    const dir = `${this.path}/${leaf}`;
    const fz = this.freezerMade ? `${this.freezerDir}/${leaf}` : '';
    await this.run(`cannot create the workload cgroup ${leaf} in`, sh`[ -d ${this.path} ] || { echo "the target does not exist" >&2; exit 1; }
[ -d ${dir} ] || mkdir ${dir}
[ -z ${fz} ] || [ -d ${fz} ] || mkdir ${fz}`);
    return { workload, dir, procsFile: `${dir}/cgroup.procs`, hierarchyPath: `${this.hierarchyPath}/${leaf}` };
  }

  /** The v1 freezer leaf a workload joins, and the target's freezer dir (thawed when a channel dies), or null. */
  freezerOf(workload: string): { procsFile: string; targetDir: string } | null {
    return this.freezerMade && this.freezerDir ? { procsFile: `${this.freezerDir}/${leafName(workload)}/cgroup.procs`, targetDir: this.freezerDir } : null;
  }

  freezeProblem(): string | null {
    if (this.kind === 'cgroup-v2') return null;
    if (!this.freezerDir) return `${this.transport.label} mounts no v1 freezer hierarchy`;
    return this.freezerFailed;
  }

  async freeze(): Promise<string> {
    if (this.kind === 'cgroup-v2') {
      await freezeCgroup(this.transport, this.facts, 'cgroup-v2', this.path);
      return `cgroup.freeze on ${this.path}`;
    }
    const problem = this.freezeProblem();
    if (problem || !this.freezerDir) throw new TargetError(problem ?? 'no freezer');
    await freezeCgroup(this.transport, this.facts, 'cgroup-v1', this.freezerDir);
    return `freezer.state on ${this.freezerDir}`;
  }

  async thaw(): Promise<void> {
    if (this.kind === 'cgroup-v2') return thawCgroup(this.transport, this.facts, 'cgroup-v2', this.path);
    if (this.freezerDir && this.freezerMade) await thawCgroup(this.transport, this.facts, 'cgroup-v1', this.freezerDir);
  }

  workloadOfCgroup(path: string | null): string | null {
    return workloadFromPath(this.hierarchyPath, path);
  }

  startWorkload(ctx: RemoteContext, id: string, spec: WorkloadSpec, onEvent: EmitEvent): WorkloadHandle {
    return startCgroupWorkload(ctx, this, id, spec, onEvent);
  }

  /**
   * Remove the cgroup, its scratch dir and record, if the owner record says
   * they are this run's (a fresh instance after a reconnect reads the record).
   * After a create that found the cgroup there already: only our empty lease file.
   */
  async destroy(): Promise<void> {
    const fz = this.freezerDir ?? '';
    const thawV2 = this.kind === 'cgroup-v2' ? sh`[ -f ${`${this.path}/cgroup.freeze`} ] && printf '0\n' > ${`${this.path}/cgroup.freeze`} 2>/dev/null` : ':';
    // oomlab_destroy thaws the v1 freezer twin before killing and removes it after (shell.ts).
    const script = this.existed
      ? sh`[ -s ${this.ownerRecord} ] || rm -f ${this.ownerRecord}`
      : sh`${DESTROY_FNS}${OWNED_FN}T=${this.path}; R=${this.ownerRecord}
# A cgroup without our record is not ours: left alone.
if oomlab_owned "$R" ${this.name}; then ${new Script(thawV2)}; oomlab_destroy "$T" "$R" || exit 1
elif [ ! -e "$T" ]; then rm -f "$R"
fi
rmdir ${this.parent} 2>/dev/null
[ -z ${fz} ] || rmdir ${`${fz.slice(0, fz.lastIndexOf('/'))}`} 2>/dev/null
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

export function createCgroupTarget(transport: Transport, facts: HostFacts, spec: TargetSpec): CgroupTarget {
  const mount = checkMount(facts.memoryMount, transport.label);
  const kind = kindFor(facts, mount, spec.kind);
  if (!facts.memoryController) throw new TargetError(`${transport.label}: the memory controller is not available (${kind})`);
  if (!facts.root && !facts.sudo) throw new TargetError(`${transport.label}: creating a cgroup needs root or passwordless sudo`);
  return new CgroupTarget(transport, facts, spec, kind, mount);
}

