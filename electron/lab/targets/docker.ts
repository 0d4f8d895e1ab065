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
// Owner record: the lease file /run/oomlab/oomlab-<runId>.lock holds
// {marker, runId, name, kind, createdAt, appVersion}, written before docker run
// only if absent; the container's oomlab.created label carries the same time.
// Only a container with both is removed by name (a fresh instance, the sweep).

import type { HostFacts } from '../host/facts';
import type { MemorySample, ProcessRow } from '../events';
import type { EmitEvent, RemoteContext } from '../remote';
import { asRoot, command, sh } from '../ssh/quote';
import type { RemoteProcess, Transport } from '../ssh/transport';
import type { WorkloadHandle, WorkloadSpec } from '../workloads/spec';
import { checkImageRef, checkNetwork, LABEL_RUN, MIN_MEMORY_BYTES, runArgv, type RunMode } from '../docker/commands';
import { cgroupDir, expectedContainerCgroup, memoryCgroupOf, namesContainer, type CgroupFlavour } from '../docker/cgroup-path';
import { parseDockerInfo, type DockerDaemon } from '../docker/info';
import { parseInspectOne, type ContainerInfo } from '../docker/inspect';
import { DEFAULT_IMAGE, ensureStressImage, IMAGE_REPO } from '../docker/image';
import type { DockerTargetOptions } from './docker-options';
import { startDockerWorkload } from './docker-workload';
import { runAsRoot } from './exec';
import { dockerPause } from './freeze';
import { createUnderLease, leaseFile, OWNED_FN, type Lease } from './lease';
import { checkMount, checkRunId, leafName, targetName, workloadFromPath, type WorkloadCgroup } from './names';
import { listProcessesOnce, readSampleOnce } from './sample-once';
import { TargetError, UnsupportedKnobError, type Knob, type KnobValues, type Target, type TargetSpec } from './target';

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

  private run(what: string, script: string, timeoutMs = 60_000): Promise<string> {
    return runAsRoot(this.transport, this.facts, what, script, timeoutMs);
  }

  /** Held from before `docker run` until the container is gone: sweeps from other sessions skip it. */
  private lease: Lease | null = null;
  /** Set by create(): the owner record's and the container's creation time. */
  private createdAt: string | null = null;

  async create(): Promise<void> {
    const createdAt = new Date().toISOString();
    this.createdAt = createdAt;
    const record = { marker: 'oomlab', runId: this.spec.runId, name: this.name, kind: 'docker', createdAt, appVersion: this.spec.appVersion };
    this.lease = await createUnderLease(this.transport, this.facts, leaseFile(this.name), this.warnings, () => this.createContainer(createdAt), JSON.stringify(record));
  }

  private async createContainer(createdAt: string): Promise<void> {
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
      createdAt,
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

  /** docker pause: the daemon freezes the container's cgroup, the workload leaves inside it too. */
  async freeze(): Promise<string> {
    await dockerPause(this.transport, this.facts, this.containerId ?? this.name, true, this.cgroupKind, this.created().dir!);
    return `docker pause ${this.name}`;
  }

  async thaw(): Promise<void> {
    await dockerPause(this.transport, this.facts, this.containerId ?? this.name, false, this.cgroupKind, this.dir ?? '');
  }

  freezeProblem(): string | null {
    return null;
  }

  private created(): this {
    if (!this.dir) throw new TargetError(`${this.transport.label}: container ${this.name} is not created`);
    return this;
  }

  readSample(): Promise<MemorySample> {
    return readSampleOnce(this.transport, this.facts, this.created());
  }

  listProcesses(): Promise<ProcessRow[]> {
    return listProcessesOnce(this.transport, this.facts, this.created());
  }

  /** The workload's leaf wl-<id> inside the container's cgroup (idempotent). */
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

  /**
   * docker rm --force (PID 1, exec'd workloads, the cgroup and our leaves go
   * with it), then make sure. Idempotent. Without the container id (a create
   * that failed, a fresh instance after a reconnect) only a container whose
   * labels match our owner record is removed, and only our own record.
   */
  async destroy(): Promise<void> {
    const script = sh`${OWNED_FN}C=${this.containerId ?? ''}; N=${this.name}; L=${leaseFile(this.name)}; RUN=${this.spec.runId}; CA=${this.createdAt ?? ''}; D=${this.dir ?? ''}
if [ -z "$C" ]; then
  # Our record (this instance's own, when it wrote one), else nothing here is ours.
  oomlab_owned "$L" "$N" && { [ -z "$CA" ] || grep -qF "\\"createdAt\\":\\"$CA\\"" "$L"; } || exit 0
  CA=$(sed -n 's/.*"createdAt":"\\([^"]*\\)".*/\\1/p' "$L")
  if lbl=$(docker inspect --type container --format '{{index .Config.Labels "oomlab.run"}} {{index .Config.Labels "oomlab.created"}}' "$N" 2>/dev/null) && [ "$lbl" != "$RUN $CA" ]; then
    # The name is taken by a container that is not this run's: left alone.
    rm -f "$L"; exit 0
  fi
  C=$N
fi
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
rm -f "$L"
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
