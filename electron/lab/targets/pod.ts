// The Kubernetes pod target (k3s or any cluster whose node the lab has a shell
// on): one pod per run, oomlab-<runId> in namespace `oomlab` (created when
// missing), labelled oomlab=1 / oomlab.run=<runId>, driven with `kubectl` or
// `k3s kubectl` on the node over the same Transport (kube/kubectl.ts).
//
//   create    kubectl create the pod (kube/manifest.ts), follow it with two
//             watches (the pod, its Events) as `status` events, wait for Running
//             (scheduling and image failures in plain words), then find the pod's
//             and the container's cgroup from uid + QoS + container id
//             (kube/cgroup-path.ts: cgroupfs or systemd, v1 or v2) and the
//             container's PID 1, and compare every process's oom_score_adj with
//             the kubelet's policy for the node's capacity (kube/qos.ts).
//   observe   `path` is the container's memory cgroup: the usual sampler reads it
//             (series "target"), a second one reads the pod cgroup (series "pod");
//             `hierarchyPath` is the pod cgroup, so every kernel report inside the
//             pod, restarts included, is this run's.
//   workloads from the node side, into the container (targets/pod-workload.ts).
//   lease     the pod carries its owner record and a lease expiry as annotations
//             (kube/ownership.ts), renewed every 30 s while the run lives, so a
//             sweep on any node leaves a live run's pod alone.
//   destroy   kubectl delete the pod: the one this instance created, or (a fresh
//             instance after a reconnect) one whose owner record names this run,
//             never one that was there before; the namespace only if this run
//             made it and nothing else lives there (pod-namespace.ts); wait
//             until the container's cgroup is gone.
// pod-watch.ts follows the pod, pod-locate.ts finds its cgroups, pod-sweep.ts
// removes what crashed runs left.

import { cgroupFreezer } from './freeze';
import type { HostFacts } from '../host/facts';
import type { LabEvent, LabEventBody, MemorySample, ProcessRow } from '../events';
import type { EmitEvent, RemoteContext } from '../remote';
import { asRoot, sh } from '../ssh/quote';
import type { Transport } from '../ssh/transport';
import { startSampler, type SamplerHandle } from '../sampler/sampler';
import type { WorkloadHandle, WorkloadSpec } from '../workloads/spec';
import { DEFAULT_IMAGE, ensureStressImage, IMAGE_REPO } from '../docker/image';
import { Kubectl, KubectlError, kubectlConfig } from '../kube/kubectl';
import { CONTAINER_NAME, checkImage, checkNamespace, CREATED_BY_ANNOTATION, DEFAULT_NAMESPACE, podManifest, podNameFor, type PullPolicy } from '../kube/manifest';
import { parseNodeList, parsePod, parsePodList, type Node, type Pod } from '../kube/objects';
import { leaseExpiry, podOwner } from '../kube/ownership';
import { renewPodLease } from './pod-lease';
import { runningContainer } from '../kube/status';
import { cgroupDirUnder, containerCgroupCandidates, parseContainerId, type ContainerRuntime } from '../kube/cgroup-path';
import { findExecRoute, type ExecRoute } from '../kube/exec-route';
import { kubeletOomScoreAdj, podQos, type OomScoreAdjPolicy, type QosClass } from '../kube/qos';
import { quantityBytes } from '../kube/quantity';
import { tracePodOfKill, type PodTrace } from '../kube/trace';
import type { OomKillReport } from '../kernel/report';
import { runAsRoot } from './exec';
import { createUnderLease, leaseFile, type Lease } from './lease';
import { checkMount, checkRunId } from './names';
import { adjCheckReport, adjChecksOf, locateScript, parseLocate, type AdjCheck } from './pod-locate';
import { ensureLabNamespace, listableTypes, removeLabNamespace } from './pod-namespace';
import type { PodTargetOptions } from './pod-options';
import { PodWatch } from './pod-watch';
import { startPodWorkload } from './pod-workload';
import { listProcessesOnce, readSampleOnce } from './sample-once';
import { TargetError, UnsupportedKnobError, type Knob, type KnobValues, type Target, type TargetSpec } from './target';

export const DEFAULT_POD_LIFETIME_SEC = 6 * 3600;

/** One process of the pod and what the kubelet's policy says its oom_score_adj should be. */
export class PodTarget implements Target {
  readonly kind = 'pod' as const;
  readonly id = 'target';
  readonly name: string;
  readonly namespace: string;
  readonly limitBytes: number | null;
  readonly swapPinned: boolean;
  readonly ownerRecord: string;
  /** Inside the container (workloads see its filesystem). */
  readonly scratchDir = '/tmp';
  readonly warnings: string[] = [];
  cgroupKind: 'cgroup-v1' | 'cgroup-v2';
  readonly kubectl: Kubectl;
  image: string;
  imageTools: string[] | null = null;
  pod: Pod | null = null;
  node: Node | null = null;
  capacityBytes: number | null = null;
  qos: QosClass | null = null;
  policy: OomScoreAdjPolicy | null = null;
  adjChecks: AdjCheck[] = [];
  /** Kernel kills traced back to their pod (onOomKill). */
  readonly traces: PodTrace[] = [];
  private tracing: Promise<void> = Promise.resolve();
  containerId: string | null = null;
  initPid: number | null = null;
  execRoute: ExecRoute | null = null;
  driver: 'cgroupfs' | 'systemd' | null = null;
  podHierarchy: string | null = null;
  containerHierarchy: string | null = null;
  private dir: string | null = null;
  private containerDir: string | null = null;
  readonly observe: 'container' | 'pod';
  private createdNamespace = false;
  private stopRenewal: (() => void) | null = null;
  private ctx: RemoteContext | null = null;
  private emit: EmitEvent | null = null;
  private watch: PodWatch | null = null;
  private podSampler: SamplerHandle | null = null;
  private pullPolicy: PullPolicy = 'IfNotPresent';
  private readonly mount: string;

  constructor(
    readonly transport: Transport,
    readonly facts: HostFacts,
    private readonly spec: TargetSpec,
    private readonly opts: PodTargetOptions,
  ) {
    checkRunId(spec.runId);
    this.name = podNameFor(spec.runId);
    this.namespace = checkNamespace(opts.namespace ?? DEFAULT_NAMESPACE, 'pod target: namespace');
    this.image = checkImage(opts.image ?? DEFAULT_IMAGE, 'pod target: image');
    this.limitBytes = spec.limitBytes;
    // The kubelet, not the lab, decides about swap: nodes run without it by default.
    this.swapPinned = facts.swapTotalBytes === 0;
    if (facts.swapTotalBytes > 0) this.warnings.push(`${transport.label}: the node has swap; the kubelet decides whether pods may use it (the lab cannot pin it for a pod)`);
    this.ownerRecord = `pod ${this.namespace}/${this.name} (label oomlab.run=${spec.runId})`;
    this.observe = opts.observe ?? (opts.command ? 'pod' : 'container');
    this.mount = checkMount(facts.memoryMount, transport.label);
    this.cgroupKind = /\/memory$/.test(this.mount) ? 'cgroup-v1' : 'cgroup-v2';
    this.kubectl = new Kubectl(transport, facts, kubectlConfig(facts, opts, transport.label), opts.onKubectl);
  }

  // A pause freezes the container's cgroup (freeze.ts): the runtime's exec put the workloads in it.
  private readonly freezer = cgroupFreezer(() => ({ transport: this.transport, facts: this.facts, kind: this.cgroupKind }), () => this.containerCgroup().dir);
  readonly freeze = () => this.freezer.freeze();
  readonly thaw = () => this.freezer.thaw();
  readonly freezeProblem = () => this.freezer.problem();

  get path(): string {
    return this.dir ?? `pod:${this.namespace}/${this.name}`;
  }

  /** The pod's cgroup: every container of the pod (restarts too) is inside it. */
  get hierarchyPath(): string {
    return this.podHierarchy ?? `pod:${this.namespace}/${this.name}`;
  }

  attach(ctx: RemoteContext, onEvent: EmitEvent): void {
    this.ctx = ctx;
    this.emit = onEvent;
  }

  private say(body: LabEventBody): void {
    if (this.emit && this.ctx) this.emit({ ...body, t: this.ctx.clock.now() } as LabEvent);
  }

  private action(text: string): void {
    this.say({ kind: 'action', step: null, text });
  }

  private run(what: string, script: string, timeoutMs = 30_000): Promise<string> {
    return runAsRoot(this.transport, this.facts, what, script, timeoutMs);
  }

  // ------------------------------------------------------------ create

  /** Held on the node from before the pod is created until it is deleted: sweeps from other sessions skip it. */
  private lease: Lease | null = null;

  async create(): Promise<void> {
    this.lease = await createUnderLease(this.transport, this.facts, leaseFile(this.name), this.warnings, () => this.createPod());
  }

  private async createPod(): Promise<void> {
    const label = this.transport.label;
    try {
      await this.pickNode();
      await this.resolveImage();
      await this.ensureNamespace();
      const manifest = podManifest({
        name: this.name,
        namespace: this.namespace,
        runId: this.spec.runId,
        image: this.image,
        imagePullPolicy: this.pullPolicy,
        command: this.opts.command,
        restartPolicy: this.opts.restartPolicy ?? 'Always',
        memoryLimit: this.limitBytes,
        memoryRequest: this.opts.memoryRequest ?? null,
        cpuRequest: this.opts.cpuRequest ?? null,
        cpuLimit: this.opts.cpuLimit ?? null,
        nodeHostname: this.node?.labels['kubernetes.io/hostname'] ?? null,
        lifetimeSec: this.opts.lifetimeSec ?? DEFAULT_POD_LIFETIME_SEC,
        createdAt: new Date().toISOString(),
        holder: this.node?.name ?? label,
        appVersion: this.spec.appVersion,
        leaseExpires: leaseExpiry(Date.now()),
      });
      const out = await this.kubectl.run(['create', '--validate=false', '-f', '-', '-o', 'json'], { stdin: JSON.stringify(manifest) });
      this.pod = parsePod(out, `kubectl create pod ${this.name}`);
      this.stopRenewal = renewPodLease(this.kubectl, this.namespace, this.name, (message) => this.say({ kind: 'warning', message }));
      this.action(`created pod ${this.namespace}/${this.name} (uid ${this.pod.uid}, QoS ${this.pod.qosClass ?? '?'}) with image ${this.image}, memory limit ${this.limitBytes ?? 'none'} B, restartPolicy ${this.pod.restartPolicy}`);
      this.watch = new PodWatch(this.kubectl, this.pod, (body) => this.say(body), (pod) => (this.pod = pod));
      this.watch.start();
      await this.watch.untilRunning(this.opts.readyTimeoutMs ?? 120_000, this.transport.label);
      await this.locate();
      this.startPodSampler();
    } catch (e) {
      if (e instanceof TargetError) throw e;
      throw new TargetError(e instanceof KubectlError ? e.message : `${label}: pod ${this.namespace}/${this.name}: ${(e as Error).message}`);
    }
  }

  private async pickNode(): Promise<void> {
    const nodes = parseNodeList(await this.kubectl.run(['get', 'nodes', '-o', 'json']), 'kubectl get nodes');
    const host = (await this.run('cannot read the host name', 'uname -n')).trim().toLowerCase();
    const node = nodes.find((n) => n.name.toLowerCase() === host || n.labels['kubernetes.io/hostname']?.toLowerCase() === host) ?? (nodes.length === 1 ? nodes[0] : undefined);
    if (!node) throw new TargetError(`${this.transport.label}: this host (${host}) is not one of the cluster's nodes (${nodes.map((n) => n.name).join(', ') || 'none'}); the lab must run on the node that hosts the pod`);
    if (node.ready === false) this.warnings.push(`${this.transport.label}: node ${node.name} is not Ready`);
    this.node = node;
    if (!node.capacityMemory) throw new TargetError(`${this.transport.label}: node ${node.name} reports no memory capacity`);
    this.capacityBytes = quantityBytes(node.capacityMemory, `node ${node.name} status.capacity.memory`);
  }

  private async resolveImage(): Promise<void> {
    if (this.image !== DEFAULT_IMAGE && this.image !== `${IMAGE_REPO}:latest`) return;
    if (!this.facts.tools.docker && !this.facts.dockerDaemon) {
      throw new TargetError(`${this.transport.label}: the default image ${DEFAULT_IMAGE} is built with Docker on the node, and there is none; build it on a machine with Docker and import it (docker save oomlab/stress:<tag> | k3s ctr images import -), then name it as the image`);
    }
    const built = await ensureStressImage(this.transport, this.facts);
    this.image = built.tag;
    this.imageTools = built.tools;
    // Built on the node, never in a registry: the kubelet must not try to pull it.
    this.pullPolicy = 'Never';
    this.action(`image ${built.tag} ${built.built ? 'built' : 'found'} on the node (imagePullPolicy Never)`);
  }

  private async ensureNamespace(): Promise<void> {
    this.createdNamespace = await ensureLabNamespace(this.kubectl, this.namespace, this.spec.runId);
    if (this.createdNamespace) this.action(`created namespace ${this.namespace} (annotation ${CREATED_BY_ANNOTATION}=${this.spec.runId})`);
  }

  /** Without the pod this instance created: is there one whose owner record names this run? */
  private async podIsOurs(): Promise<boolean> {
    if (this.pod) return true;
    try {
      return podOwner(parsePod(await this.kubectl.run(['get', 'pod', this.name, '-n', this.namespace, '-o', 'json']), `pod ${this.name}`))?.runId === this.spec.runId;
    } catch (e) {
      if (e instanceof KubectlError && e.reason === 'NotFound') return false;
      throw e;
    }
  }

  // ------------------------------------------------------------ cgroups and oom_score_adj

  private async locate(): Promise<void> {
    const pod = this.pod!;
    const c = runningContainer(pod, CONTAINER_NAME)!;
    const cid = parseContainerId(c.containerID!);
    if (!cid) throw new TargetError(`${this.transport.label}: container id ${JSON.stringify(c.containerID)} is not <runtime>://<64 hex>`);
    this.containerId = cid.id;
    const qos = (pod.qosClass as QosClass | null) ?? podQos(pod.containers);
    this.qos = qos;
    const cands = containerCgroupCandidates({ qos, podUid: pod.uid, containerId: cid.id, runtime: cid.runtime });
    const out = await this.run(`cannot find the cgroup of pod ${pod.namespace}/${pod.name}`, locateScript(this.mount, cands, cid.id));
    const { driver, podPath, containerPath: ctrPath, procs } = parseLocate(out);
    if (!podPath || !ctrPath) throw new TargetError(`${this.transport.label}: no cgroup found for pod ${pod.namespace}/${pod.name}`);
    this.driver = driver;
    if (!driver) this.warnings.push(`${this.transport.label}: the container's cgroup ${ctrPath} is not where the kubelet's cgroupfs or systemd layout puts it; using it anyway`);
    this.podHierarchy = podPath;
    this.containerHierarchy = ctrPath;
    const containerDir = cgroupDirUnder(this.mount, ctrPath);
    this.containerDir = containerDir;
    this.dir = this.observe === 'pod' ? cgroupDirUnder(this.mount, podPath) : containerDir;
    const init = procs.find((p) => p.dir === containerDir && p.nspid === '1');
    if (!init) throw new TargetError(`${this.transport.label}: no PID 1 of container ${cid.id.slice(0, 12)} in ${containerDir}`);
    this.initPid = init.pid;
    await this.chooseExec(cid.runtime, cid.id);
    this.action(`pod cgroup ${podPath}, container cgroup ${ctrPath} (${this.driver ?? 'found by search'}, ${this.cgroupKind === 'cgroup-v1' ? 'v1' : 'v2'}); container PID 1 is host pid ${init.pid} (${init.comm})`);

    const policy = kubeletOomScoreAdj(qos, this.requestBytes(), this.capacityBytes!);
    this.policy = policy;
    this.action(`kubelet oom_score_adj policy for this pod on node ${this.node!.name} (capacity ${this.node!.capacityMemory}): ${policy.arithmetic}`);
    this.adjChecks = adjChecksOf(procs, containerDir, policy);
    for (const r of this.adjChecks.map(adjCheckReport)) {
      if (r.kind === 'action') this.action(r.text);
      else this.say({ kind: 'warning', message: r.text });
    }
  }

  private async chooseExec(runtime: ContainerRuntime, containerId: string): Promise<void> {
    const route = await findExecRoute(this.transport, this.facts, { runtime, containerId, kubectl: this.kubectl.argv([]), namespace: this.namespace, pod: this.name, container: CONTAINER_NAME });
    this.execRoute = route;
    this.action(`workloads enter container ${CONTAINER_NAME} by ${route.via} (the container's own user, capabilities, seccomp and AppArmor profile)`);
  }

  /** The container's memory request as the API server stored it (a limit alone defaults it). */
  requestBytes(): number {
    const c = this.pod?.containers.find((x) => x.name === CONTAINER_NAME);
    const r = c?.resources.requests.memory ?? c?.resources.limits.memory;
    return r ? quantityBytes(r, 'memory request') : 0;
  }

  private startPodSampler(): void {
    if (!this.ctx || !this.emit || !this.podHierarchy || this.observe === 'pod') return;
    const podDir = cgroupDirUnder(this.mount, this.podHierarchy);
    this.podSampler = startSampler(this.ctx, { id: 'pod', cgroupKind: this.cgroupKind, path: podDir }, { processIntervalMs: 0 }, this.emit);
  }

  /** dmesg -> pod: the report's pod uid looked up among the cluster's pods, as one would with kubectl by hand. */
  onOomKill(report: OomKillReport): void {
    if (!report.podUid) return;
    this.tracing = this.tracing.then(async () => {
      try {
        const pods = parsePodList(await this.kubectl.run(['get', 'pods', '--all-namespaces', '-o', 'json']), 'kubectl get pods --all-namespaces');
        const tr = tracePodOfKill(report, pods);
        if (!tr) return;
        this.traces.push(tr);
        this.action(tr.text);
      } catch (e) {
        this.say({ kind: 'warning', message: `cannot trace the kill of pid ${report.pid} to its pod: ${(e as Error).message}` });
      }
    });
  }

  /** Resolves when every kill seen so far has been traced. */
  traced(): Promise<void> {
    return this.tracing;
  }

  // ------------------------------------------------------------ Target

  async setKnob<K extends Knob>(knob: K, _value: KnobValues[K]): Promise<void> {
    throw new UnsupportedKnobError(this.kind, knob);
  }

  private created(): this {
    if (!this.dir) throw new TargetError(`${this.transport.label}: pod ${this.name} is not created`);
    return this;
  }

  readSample = (): Promise<MemorySample> => readSampleOnce(this.transport, this.facts, this.created());
  listProcesses = (): Promise<ProcessRow[]> => listProcessesOnce(this.transport, this.facts, this.created());

  /** Workloads share the container's own cgroup (as exec'd processes do); there are no leaves. */
  containerCgroup(): { dir: string; hierarchyPath: string } {
    if (!this.containerDir || !this.containerHierarchy) throw new TargetError(`${this.transport.label}: pod ${this.name} is not running`);
    return { dir: this.containerDir, hierarchyPath: this.containerHierarchy };
  }

  /** Every workload is in the container's cgroup: the runner attributes kills by pid. */
  workloadOfCgroup = (_path: string | null): string | null => null;

  startWorkload(ctx: RemoteContext, id: string, spec: WorkloadSpec, onEvent: EmitEvent): WorkloadHandle {
    return startPodWorkload(ctx, this, id, spec, onEvent);
  }

  async destroy(): Promise<void> {
    await this.tracing;
    this.watch?.stop();
    await this.podSampler?.stop().catch(() => {});
    this.stopRenewal?.();
    [this.watch, this.podSampler, this.stopRenewal] = [null, null, null];
    const problems: string[] = [];
    // A fresh instance (cleanup after a dropped link) knows only the name: the owner record says whether it is ours.
    try {
      if (await this.podIsOurs()) {
        await this.kubectl.run(['delete', 'pod', this.name, '-n', this.namespace, '--ignore-not-found', '--wait=true', '--timeout=60s'], { timeoutMs: 90_000 });
        this.action(`deleted pod ${this.namespace}/${this.name}`);
      }
    } catch (e) {
      problems.push((e as Error).message);
    }
    if (this.createdNamespace) {
      try {
        const why = await removeLabNamespace(this.kubectl, this.namespace, await listableTypes(this.kubectl));
        this.action(why === null ? `deleted namespace ${this.namespace}` : `left namespace ${this.namespace}: ${why}`);
        this.createdNamespace = false;
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
    if (this.dir) {
      try {
        await this.run(`the cgroup ${this.dir} is still there after the pod was deleted`, sh`i=0; while [ -d ${this.dir} ]; do i=$((i + 1)); [ $i -ge 300 ] && exit 1; sleep 0.1; done`, 60_000);
      } catch (e) {
        problems.push((e as Error).message);
      }
    }
    if (problems.length) throw new TargetError(problems.join('; '));
    this.pod = null;
    await this.transport.exec(asRoot(sh`rm -f ${leaseFile(this.name)}`, this.facts.root), { timeoutMs: 30_000 }).catch(() => undefined);
    this.lease?.release();
    this.lease = null;
  }
}

export function createPodTarget(transport: Transport, facts: HostFacts, spec: TargetSpec): PodTarget {
  if (!facts.root && !facts.sudo) throw new TargetError(`${transport.label}: a pod target needs root or passwordless sudo on the node (workloads join the container's cgroup)`);
  return new PodTarget(transport, facts, spec, spec.pod ?? {});
}
