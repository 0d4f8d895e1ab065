// The Docker container target: one container per run, named oomlab-<runId>,
// labelled oomlab=1 / oomlab.run / oomlab.created, with --memory and (swap
// pinned) --memory-swap equal to it, --network none unless asked. Driven by the
// host's `docker` CLI over the Transport, so `--host local` and SSH are alike.
//
// Its cgroup is found from /proc/<PID 1>/cgroup on the host and checked against
// the daemon's driver (docker/cgroup-path.ts); the usual sampler then reads it
// as a v1 or v2 memory cgroup (cgroupKind), and the kernel-log follower matches
// reports by that path. Each workload gets a leaf wl-<id> inside the container's
// cgroup, as in the cgroup targets, so a report's task_memcg names it (v1; on
// v2 the leaf has no memory controller and the report names the container).
//
// Two ways to run a workload (mode):
//   main: PID 1 is a gate; the first workload replaces it and is the container's
//         main process, so the container dies with it (later ones are exec'd);
//   exec: PID 1 idles (sleep); every workload comes in through docker exec, and
//         an OOM kill of one leaves PID 1 and the container running.
// A keeper channel removes the container if the engine's link drops.

import type { HostFacts } from '../host/facts';
import type { MemorySample, ProcessRow } from '../events';
import { asRoot, command, Script, sh } from '../ssh/quote';
import { execAsRoot } from '../ssh/sudo';
import { holdLease, leaseFile, LEASE_HELD_FN, type Lease } from './lease';
import type { RemoteProcess, Transport } from '../ssh/transport';
import { parseSamplerOutput } from '../sampler/parse';
import { samplerCommand } from '../sampler/script';
import type { EmitEvent, RemoteContext, WorkloadHandle, WorkloadSpec } from '../workloads/spec';
import { checkImageRef, checkNetwork, LABEL, LABEL_RUN, MIN_MEMORY_BYTES, runArgv, type RunMode } from '../docker/commands';
import { cgroupDir, expectedContainerCgroup, memoryCgroupOf, namesContainer, type CgroupFlavour } from '../docker/cgroup-path';
import { parseDockerInfo, type DockerDaemon } from '../docker/info';
import { parseInspectOne, type ContainerInfo } from '../docker/inspect';
import { DEFAULT_IMAGE, ensureStressImage, IMAGE_REPO } from '../docker/image';
import { checkMount, checkRunId, leafName, RECORD_DIR, TARGET_PREFIX, targetName, workloadFromPath } from './names';
import { TargetError, UnsupportedKnobError, type Knob, type KnobValues, type Target, type TargetSpec, type WorkloadCgroup } from './target';
import { startDockerWorkload } from './docker-workload';

export interface DockerTargetOptions {
  /** "oomlab/stress" (the default): built on the host from its own binaries. Anything else must already be on the host. */
  image?: string;
  /** Default "main". */
  mode?: RunMode;
  /** Default "none". */
  network?: string;
  /** PID 1 gives up after this long (seconds); default 6 h. The keeper channel and the sweep remove it earlier. */
  lifetimeSec?: number;
}

export const DEFAULT_LIFETIME_SEC = 6 * 3600;

export class DockerTarget implements Target {
  readonly kind = 'docker' as const;
  readonly id = 'target';
  readonly name: string;
  readonly limitBytes: number | null;
  swapPinned: boolean;
  readonly ownerRecord: string;
  /** Inside the container: its /tmp is on the overlay's upper dir, a real disk, and goes with the container. */
  readonly scratchDir = '/tmp';
  readonly warnings: string[] = [];
  readonly mode: RunMode;
  readonly network: string;
  readonly lifetimeSec: number;
  /** As asked; the tag actually run is `image` after create(). */
  readonly imageRequested: string;
  image: string;
  /** Tools known to be in the image (built image), or null (an image of the user's). */
  imageTools: string[] | null = null;
  imageBuilt = false;
  daemon: DockerDaemon | null = null;
  containerId: string | null = null;
  /** Host pid of the container's PID 1 at creation. */
  initPid: number | null = null;
  cgroupKind: CgroupFlavour;
  private dir: string | null = null;
  private hierarchy: string | null = null;
  private mainClaimed = false;
  private keeper: RemoteProcess | null = null;
  private readonly mount: string;

  constructor(
    readonly transport: Transport,
    readonly facts: HostFacts,
    private readonly spec: TargetSpec,
    opts: DockerTargetOptions,
  ) {
    checkRunId(spec.runId);
    this.name = targetName(spec.runId);
    this.limitBytes = spec.limitBytes;
    this.swapPinned = (spec.swap ?? 'pinned') === 'pinned';
    this.ownerRecord = `docker container ${this.name} (label ${LABEL_RUN}=${spec.runId})`;
    this.mode = opts.mode ?? 'main';
    if (this.mode !== 'main' && this.mode !== 'exec') throw new TargetError(`docker target: mode ${JSON.stringify(this.mode)}: expected main or exec`);
    this.network = checkNetwork(opts.network ?? 'none', 'docker target: network');
    this.imageRequested = checkImageRef(opts.image ?? DEFAULT_IMAGE, 'docker target: image');
    this.image = this.imageRequested;
    this.lifetimeSec = opts.lifetimeSec ?? DEFAULT_LIFETIME_SEC;
    this.mount = checkMount(facts.memoryMount, transport.label);
    this.cgroupKind = /\/memory$/.test(this.mount) ? 'cgroup-v1' : 'cgroup-v2';
    if (spec.limitBytes === null) throw new TargetError(`${transport.label}: a docker target needs a memory limit (docker run --memory)`);
    if (!Number.isInteger(spec.limitBytes) || spec.limitBytes < MIN_MEMORY_BYTES) throw new TargetError(`${transport.label}: docker target: limit ${spec.limitBytes} B is below Docker's minimum of 6 MiB`);
  }

  /** The container's cgroup directory; before create() a placeholder naming the container. */
  get path(): string {
    return this.dir ?? `docker:${this.name}`;
  }

  get hierarchyPath(): string {
    return this.hierarchy ?? `docker:${this.name}`;
  }

  get isCreated(): boolean {
    return this.containerId !== null;
  }

  private async run(what: string, script: string, timeoutMs = 60_000, stdin?: string): Promise<string> {
    const r = await this.transport.exec(asRoot(script, this.facts.root), { timeoutMs, stdin });
    if (r.code !== 0) {
      const detail = r.stderr.trim() || r.error || (r.signal ? `killed by ${r.signal}` : `exit ${r.code}`);
      throw new TargetError(`${this.transport.label}: ${what}: ${detail}`);
    }
    return r.stdout;
  }

  /** Held from before `docker run` until the container is gone: sweeps from other sessions skip it. */
  private lease: Lease | null = null;

  async create(): Promise<void> {
    this.lease = await holdLease(this.transport, this.facts, leaseFile(this.name));
    if (this.lease.warning) this.warnings.push(this.lease.warning);
    try {
      await this.createContainer();
    } catch (e) {
      this.lease.release();
      this.lease = null;
      throw e;
    }
  }

  private async createContainer(): Promise<void> {
    const label = this.transport.label;
    const info = await this.transport.exec(asRoot(command(['docker', 'info', '--format', '{{json .}}']), this.facts.root), { timeoutMs: 30_000 });
    if (info.code === 127) throw new TargetError(`${label}: the docker CLI is not installed`);
    let daemon: DockerDaemon;
    try {
      daemon = parseDockerInfo(info.stdout, label, info.stderr);
    } catch (e) {
      throw new TargetError((e as Error).message);
    }
    this.daemon = daemon;
    if (!daemon.memoryLimit) throw new TargetError(`${label}: the Docker daemon cannot set memory limits (no memory cgroup support)`);
    if (daemon.cgroupVersion) {
      const kind = daemon.cgroupVersion === '2' ? 'cgroup-v2' : 'cgroup-v1';
      if (kind !== this.cgroupKind) throw new TargetError(`${label}: dockerd uses cgroup v${daemon.cgroupVersion}, but the probe found the memory controller at ${this.mount} (${this.cgroupKind}); cannot sample the container`);
    }
    let swap: 'pinned' | 'allowed' = this.swapPinned ? 'pinned' : 'allowed';
    if (swap === 'pinned' && !daemon.swapLimit) {
      swap = 'allowed';
      this.swapPinned = false;
      if (this.facts.swapTotalBytes > 0) this.warnings.push(`${label}: the Docker daemon has no swap limit support, so --memory-swap cannot pin swap; the limit may push pages to swap instead of killing`);
    }

    if (this.imageRequested === DEFAULT_IMAGE || this.imageRequested === `${IMAGE_REPO}:latest`) {
      const built = await ensureStressImage(this.transport, this.facts);
      this.image = built.tag;
      this.imageTools = built.tools;
      this.imageBuilt = built.built;
    } else {
      const r = await this.transport.exec(asRoot(command(['docker', 'image', 'inspect', '--format', '{{.Id}}', this.image]), this.facts.root), { timeoutMs: 30_000 });
      if (r.code !== 0) throw new TargetError(`${label}: image ${this.image} is not on the host (the lab does not pull; docker pull it there, or use ${DEFAULT_IMAGE}, built from the host's own stress)`);
    }

    const argv = runArgv({
      name: this.name,
      image: this.image,
      memoryBytes: this.limitBytes!,
      swap,
      network: this.network,
      runId: this.spec.runId,
      createdAt: new Date().toISOString(),
      mode: this.mode,
      lifetimeSec: this.lifetimeSec,
    });
    const out = await this.run(`cannot create container ${this.name}`, command(argv));
    const id = out.trim().split('\n').pop() ?? '';
    if (!/^[0-9a-f]{64}$/.test(id)) throw new TargetError(`${label}: docker run printed no container id: ${out.trim().slice(0, 200)}`);
    this.containerId = id; // from here on destroy() removes it

    const c = await this.inspect();
    if (!c.state.running || c.state.pid <= 0) {
      const logs = await this.transport.exec(asRoot(command(['docker', 'logs', '--tail', '20', id]), this.facts.root), { timeoutMs: 15_000 });
      throw new TargetError(`${label}: container ${this.name} is ${c.state.status} right after it started (exit ${c.state.exitCode}): ${(logs.stderr + logs.stdout).trim().slice(0, 400) || 'no output'}`);
    }
    this.initPid = c.state.pid;

    const procCgroup = await this.run(`cannot read /proc/${c.state.pid}/cgroup`, sh`cat /proc/${c.state.pid}/cgroup`, 15_000).catch(() => '');
    const expected = expectedContainerCgroup(id, daemon.cgroupDriver, c.cgroupParent);
    let path = memoryCgroupOf(procCgroup, this.cgroupKind);
    if (!path) {
      path = expected;
      this.warnings.push(`${label}: /proc/${c.state.pid}/cgroup named no memory cgroup; using ${expected} (the ${daemon.cgroupDriver} driver's layout)`);
    } else if (!namesContainer(path, id)) {
      this.warnings.push(`${label}: the container's memory cgroup is ${path}, not ${expected} as the ${daemon.cgroupDriver} driver would make it (nested Docker?); sampling ${path}`);
    }
    const dir = cgroupDir(this.mount, path);
    await this.run(`the container's cgroup ${dir} is missing`, sh`[ -d ${dir} ]`, 15_000);
    this.dir = dir;
    this.hierarchy = path;

    await this.startKeeper(id);
  }

  /**
   * The keeper: one channel whose command waits for EOF, then removes the
   * container. If the engine's link drops (or the app is killed) the container
   * goes with it. create() returns only once it runs on the host.
   */
  private async startKeeper(id: string): Promise<void> {
    let ready!: () => void;
    const running = new Promise<void>((res) => (ready = res));
    const keeper = this.transport.stream(asRoot(sh`echo @keeper; while read -r _; do :; done; docker rm --force --volumes ${id} >/dev/null 2>&1`, this.facts.root), {
      onLine: (line) => line === '@keeper' && ready(),
    });
    this.keeper = keeper;
    let timer: NodeJS.Timeout | undefined;
    const failed = Promise.race([
      keeper.exit.then((info) => `it ended (${info.error ?? `exit ${info.code ?? info.signal}`})`),
      new Promise<string>((res) => (timer = setTimeout(() => res('no answer within 15 s'), 15_000))),
    ]);
    const why = await Promise.race([running.then(() => null), failed]);
    clearTimeout(timer);
    if (why !== null) throw new TargetError(`${this.transport.label}: cannot start the keeper of container ${this.name}: ${why}`);
  }

  async inspect(): Promise<ContainerInfo> {
    const ref = this.containerId ?? this.name;
    const out = await this.run(`cannot inspect container ${this.name}`, command(['docker', 'inspect', '--type', 'container', '--format', '{{json .}}', ref]), 30_000);
    return parseInspectOne(out, `docker inspect ${this.name}`);
  }

  /** The first workload in main mode becomes PID 1; every other one is exec'd. */
  claimMain(): boolean {
    if (this.mode !== 'main' || this.mainClaimed) return false;
    this.mainClaimed = true;
    return true;
  }

  async setKnob<K extends Knob>(knob: K, value: KnobValues[K]): Promise<void> {
    if (knob !== 'limit') throw new UnsupportedKnobError(this.kind, knob);
    const v = value as number | null;
    if (v === null || !Number.isInteger(v) || v < MIN_MEMORY_BYTES) throw new TargetError(`limit: a container needs a limit of at least 6 MiB in whole bytes, got ${v === null ? 'max' : v}`);
    const argv = ['docker', 'update', '--memory', `${v}b`, ...(this.swapPinned ? ['--memory-swap', `${v}b`] : []), this.containerId ?? this.name];
    await this.run(`cannot set the memory limit of ${this.name}`, command(argv));
  }

  private async sampleOnce(): Promise<ReturnType<typeof parseSamplerOutput>> {
    if (!this.dir) throw new TargetError(`${this.transport.label}: container ${this.name} is not created`);
    const cmd = samplerCommand({ kind: this.cgroupKind, path: this.dir, intervalMs: 50, processEvery: 1, pageSize: this.facts.pageSize, once: true });
    const r = await this.transport.exec(cmd, { timeoutMs: 15_000 });
    if (r.code !== 0) throw new TargetError(`${this.transport.label}: cannot read ${this.dir}: ${r.stderr.trim() || `exit ${r.code}`}`);
    return parseSamplerOutput(r.stdout, this.cgroupKind, this.id);
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
    if (!this.dir || !this.hierarchy) throw new TargetError(`${this.transport.label}: container ${this.name} is not created`);
    const leaf = leafName(workload);
    const dir = `${this.dir}/${leaf}`;
    await this.run(`cannot create the workload cgroup ${leaf} in ${this.dir}`, sh`[ -d ${this.dir} ] || { echo "the container's cgroup is gone (the container ended)" >&2; exit 1; }
[ -d ${dir} ] || mkdir ${dir}`);
    return { workload, dir, procsFile: `${dir}/cgroup.procs`, hierarchyPath: `${this.hierarchy}/${leaf}` };
  }

  workloadOfCgroup(path: string | null): string | null {
    return this.hierarchy ? workloadFromPath(this.hierarchy, path) : null;
  }

  startWorkload(ctx: RemoteContext, id: string, spec: WorkloadSpec, onEvent: EmitEvent): WorkloadHandle {
    return startDockerWorkload(ctx, this, id, spec, onEvent);
  }

  /** docker rm --force (PID 1, exec'd workloads, the cgroup and our leaves go with it), then make sure. Idempotent. */
  async destroy(): Promise<void> {
    const ref = this.containerId ?? this.name;
    const script = sh`C=${ref}; D=${this.dir ?? ''}
if ! err=$(docker rm --force --volumes "$C" 2>&1 >/dev/null); then
  case $err in *"No such container"*) ;; *) echo "docker rm $C: $err" >&2; exit 1 ;; esac
fi
# runc removes the cgroup with the container; take what a stuck runtime may leave.
i=0
while [ -n "$D" ] && [ -d "$D" ]; do
  for l in "$D"/wl-*/; do [ -d "$l" ] && rmdir "\${l%/}" 2>/dev/null; done
  rmdir "$D" 2>/dev/null
  i=$((i + 1)); [ $i -ge 100 ] && { echo "cannot remove $D" >&2; exit 1; }
  sleep 0.05
done
if docker container inspect "$C" >/dev/null 2>&1; then echo "container $C is still there after docker rm" >&2; exit 1; fi
rm -f ${leaseFile(this.name)}
exit 0`;
    let last: unknown;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        await this.run(`cannot remove container ${this.name}`, script, 60_000);
        this.keeper?.close();
        this.keeper = null;
        this.lease?.release();
        this.lease = null;
        return;
      } catch (e) {
        last = e;
      }
    }
    throw last;
  }
}

export function createDockerTarget(transport: Transport, facts: HostFacts, spec: TargetSpec): DockerTarget {
  if (facts.tools.docker === false) throw new TargetError(`${transport.label}: docker is not installed (a docker target drives the host's docker CLI)`);
  if (!facts.root && !facts.sudo) throw new TargetError(`${transport.label}: a docker target needs root or passwordless sudo (workloads are moved into their own cgroups)`);
  return new DockerTarget(transport, facts, spec, spec.docker ?? {});
}

export interface DockerSweepOptions {
  /** Container names (oomlab-<runId>) to leave alone. */
  keep?: string[];
  /** Also remove containers whose run still holds its lease (a run in progress). */
  force?: boolean;
}

/**
 * Remove every container labelled oomlab (running or not) except `keep`, and
 * build directories of interrupted image builds. No docker CLI, or a daemon that
 * does not answer: nothing of ours can be running there, returns [].
 */
export async function sweepDockerLeftovers(transport: Transport, facts: HostFacts, opts: DockerSweepOptions = {}): Promise<string[]> {
  const keep = (opts.keep ?? []).map((n) => {
    if (!n.startsWith(TARGET_PREFIX)) throw new TargetError(`sweep keep: ${JSON.stringify(n)} is not an oomlab container name`);
    return targetName(n.slice(TARGET_PREFIX.length));
  });
  const script = sh`${new Script(LEASE_HELD_FN)}command -v docker >/dev/null 2>&1 || exit 0
KEEP=${` ${keep.join(' ')} `}; FORCE=${opts.force ? '1' : ''}; fail=0
ids=$(docker ps --all --quiet --no-trunc --filter label=${LABEL} 2>/dev/null) || exit 0
for id in $ids; do
  # A kubelet copies pod labels onto its containers: those belong to the pod
  # target's sweep (through the API), never to a docker rm behind the kubelet.
  n=$(docker inspect --type container --format '{{.Name}} {{index .Config.Labels "io.kubernetes.pod.uid"}}' "$id" 2>/dev/null) || continue
  case "$n" in *" "?*) continue ;; esac
  n=\${n%% *}; n=\${n#/}
  case "$KEEP" in *" $n "*) continue ;; esac
  l=${RECORD_DIR}/$n.lock
  # A live run (here or from another app) still holds its lease: not a leftover.
  [ -z "$FORCE" ] && oomlab_held "$l" && continue
  if docker rm --force --volumes "$id" >/dev/null 2>&1; then echo "removed container $n"; rm -f "$l"; else echo "cannot remove container $n ($id)" >&2; fail=1; fi
done
# Leases of runs that ended without removing them (a crash): nobody holds them.
for l in ${RECORD_DIR}/${new Script(TARGET_PREFIX)}*.lock; do
  [ -f "$l" ] || continue
  oomlab_held "$l" || rm -f "$l"
done
for b in /var/tmp/oomlab_image.*; do
  [ -d "$b" ] || continue
  # An interrupted build; one in progress is younger than an hour.
  [ -n "$(find "$b" -maxdepth 0 -mmin +60 2>/dev/null)" ] && rm -rf "$b" && echo "removed $b"
done
exit $fail`;
  const r = await execAsRoot(transport, script, facts.root, { timeoutMs: 120_000 });
  const removed = r.stdout
    .split('\n')
    .filter((l) => l.startsWith('removed '))
    .map((l) => l.slice('removed '.length));
  if (r.code !== 0) throw new TargetError(`${transport.label}: sweep of oomlab containers incomplete: ${r.stderr.trim() || `exit ${r.code}`} (removed: ${removed.join(', ') || 'nothing'})`);
  return removed;
}

