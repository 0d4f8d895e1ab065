// The fake scheduler + kubelet: binds each pod to the one node and realises it
// as REAL Docker containers on this machine, laid out as the dockershim kubelet
// (cgroupfs driver, cgroup v1) lays them out:
//   pod cgroup      /kubepods/<qos>/pod<uid>  (Guaranteed: /kubepods/pod<uid>),
//                   memory.limit_in_bytes = the sum of the containers' limits
//                   when every container has one (set by us, as the kubelet does);
//   sandbox         k8s_POD_<pod>_<ns>_<uid>_0, --cgroup-parent <pod cgroup>,
//                   --oom-score-adj -998, owns the pod's net and IPC namespaces;
//   each container  k8s_<name>_<pod>_<ns>_<uid>_<attempt>, --cgroup-parent <pod cgroup>
//                   (runc makes <pod cgroup>/<id>), --memory and --memory-swap = its
//                   limit, --cpu-shares from its cpu request, --oom-score-adj from the
//                   kubelet policy (Guaranteed -997, BestEffort 1000, Burstable
//                   1000 - 1000*request/capacity clamped to [3, 999]).
// Container deaths come from `docker events`; the status (state, lastState,
// reason OOMKilled from docker's State.OOMKilled, exit code, restartCount) and
// restarts with the kubelet's back-off (immediate, then 10 s doubling to 300 s,
// CrashLoopBackOff while waiting) follow the kubelet. Every container carries
// the labels oomlab=1 and oomlab.fake=<instance>.

import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { quantity } from './defaults';
import { timestamp, type Obj, type Store } from './store';

const run = promisify(execFile);

export const CGROUP_ROOT = '/sys/fs/cgroup';
const MEMORY = `${CGROUP_ROOT}/memory`;

export interface KubeletOptions {
  store: Store;
  nodeName: string;
  hostIP: string;
  instance: string;
  /** Image whose `sleep` plays the pause container (no pause image can be pulled here). */
  pauseImage: string;
  capacityBytes: number;
  allocatableBytes: number;
  /** Called after every pod removal (the namespace controller). */
  afterPodRemoved: () => void;
  log: (line: string) => void;
}

interface ContainerRun {
  name: string;
  id: string | null;
  attempt: number;
  /** Seconds of the next back-off; 0 = no failure yet (the first restart is immediate). */
  backoff: number;
  lastTerm: Obj | null;
  timer: NodeJS.Timeout | null;
  dead: string[];
}

interface PodRun {
  ns: string;
  name: string;
  uid: string;
  qos: string;
  cgroup: string;
  sandbox: string | null;
  containers: Map<string, ContainerRun>;
  deleting: boolean;
  deadline: NodeJS.Timeout | null;
  /** Serialises the kubelet's work on this pod. */
  chain: Promise<void>;
}

const MAX_BACKOFF = 300;

/** The kubelet's policy, written again here (independent of electron/lab/kube/qos.ts). */
export function policyOomScoreAdj(qos: string, requestBytes: number, capacityBytes: number): number {
  if (qos === 'Guaranteed') return -997;
  if (qos === 'BestEffort') return 1000;
  const adj = 1000 - Math.floor((1000 * requestBytes) / capacityBytes);
  if (adj < 3) return 3;
  if (adj === 1000) return 999;
  return adj;
}

export class FakeKubelet {
  private readonly pods = new Map<string, PodRun>();
  private events: ChildProcess | null = null;
  private readonly madeDirs: string[] = [];
  private stopped = false;

  constructor(private readonly o: KubeletOptions) {}

  /** Creates the QoS cgroups (as the kubelet does at start) and follows container deaths. */
  start(): void {
    for (const d of ['/kubepods', '/kubepods/burstable', '/kubepods/besteffort']) {
      const dir = MEMORY + d;
      if (!existsSync(dir)) {
        mkdirSync(dir);
        this.madeDirs.push(d);
      }
    }
    const ev = spawn('docker', ['events', '--filter', `label=oomlab.fake=${this.o.instance}`, '--filter', 'event=die', '--format', '{{json .}}'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.events = ev;
    let buf = '';
    ev.stdout.on('data', (b: Buffer) => {
      buf += b.toString('utf8');
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        try {
          const e = JSON.parse(line) as Obj;
          if (typeof e.id === 'string') this.onDie(e.id);
        } catch {
          /* not an event line */
        }
      }
    });
  }

  // ------------------------------------------------------------ helpers

  private pod(ns: string, name: string): Obj | undefined {
    return this.o.store.get('pods', ns, name);
  }

  private update(r: PodRun, change: (p: Obj) => void): void {
    this.o.store.update('pods', r.ns, r.name, change);
  }

  private event(r: { ns: string; name: string; uid: string }, type: 'Normal' | 'Warning', reason: string, message: string, fieldPath?: string, component = 'kubelet'): void {
    const store = this.o.store;
    const same = store.list('events', r.ns, (e) => e.involvedObject.uid === r.uid && e.reason === reason && e.message === message);
    const now = timestamp();
    if (same[0]) {
      store.update('events', r.ns, same[0].metadata.name, (e) => {
        e.count = (e.count ?? 1) + 1;
        e.lastTimestamp = now;
      });
      return;
    }
    store.create('events', {
      metadata: { name: `${r.name}.${randomBytes(8).toString('hex')}`, namespace: r.ns },
      involvedObject: { kind: 'Pod', namespace: r.ns, name: r.name, uid: r.uid, apiVersion: 'v1', ...(fieldPath ? { fieldPath } : {}) },
      reason,
      message,
      source: { component, ...(component === 'kubelet' ? { host: this.o.nodeName } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: component === 'kubelet' ? this.o.nodeName : '',
    });
  }

  private docker(args: string[]): Promise<string> {
    return run('docker', args, { maxBuffer: 16 * 1024 * 1024 }).then((r) => r.stdout);
  }

  private enqueue(r: PodRun, work: () => Promise<void>): void {
    r.chain = r.chain.then(work).catch((e: unknown) => this.o.log(`kubelet: pod ${r.ns}/${r.name}: ${(e as Error).message}`));
  }

  // ------------------------------------------------------------ scheduling

  podCreated(ns: string, name: string): void {
    const pod = this.pod(ns, name);
    if (!pod || this.stopped) return;
    const ref = { ns, name, uid: pod.metadata.uid as string };
    const sel: Record<string, string> = pod.spec.nodeSelector ?? {};
    const labels = nodeLabels(this.o.nodeName);
    const requested = (p: Obj) => (p.spec.containers as Obj[]).reduce((n, c) => n + (c.resources?.requests?.memory ? quantity(c.resources.requests.memory) : 0), 0);
    const used = this.o.store.list('pods', null, (p) => p.spec.nodeName === this.o.nodeName && !['Succeeded', 'Failed'].includes(p.status?.phase)).reduce((n, p) => n + requested(p), 0);
    let why: string | null = null;
    if (pod.spec.nodeName && pod.spec.nodeName !== this.o.nodeName) why = null;
    else if (Object.entries(sel).some(([k, v]) => labels[k] !== v)) why = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.";
    else if (used + requested(pod) > this.o.allocatableBytes) why = '0/1 nodes are available: 1 Insufficient memory.';
    if (pod.spec.nodeName && pod.spec.nodeName !== this.o.nodeName) return; // another node's pod: never started
    if (why) {
      this.o.store.update('pods', ns, name, (p) => {
        p.status.conditions = [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: timestamp(), reason: 'Unschedulable', message: why }];
      });
      this.event(ref, 'Warning', 'FailedScheduling', why, undefined, 'default-scheduler');
      return;
    }
    if (!pod.spec.nodeName) {
      this.o.store.update('pods', ns, name, (p) => {
        p.spec.nodeName = this.o.nodeName;
        p.status.conditions = [{ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: timestamp() }];
      });
      this.event(ref, 'Normal', 'Scheduled', `Successfully assigned ${ns}/${name} to ${this.o.nodeName}`, undefined, 'default-scheduler');
    }
    const qos = pod.status.qosClass as string;
    const cgroup = qos === 'Guaranteed' ? `/kubepods/pod${ref.uid}` : `/kubepods/${qos.toLowerCase()}/pod${ref.uid}`;
    const r: PodRun = { ...ref, qos, cgroup, sandbox: null, containers: new Map(), deleting: false, deadline: null, chain: Promise.resolve() };
    for (const c of pod.spec.containers as Obj[]) r.containers.set(c.name, { name: c.name, id: null, attempt: 0, backoff: 0, lastTerm: null, timer: null, dead: [] });
    this.pods.set(ref.uid, r);
    this.enqueue(r, () => this.syncPod(r));
  }

  // ------------------------------------------------------------ the pod

  private async syncPod(r: PodRun): Promise<void> {
    const pod = this.pod(r.ns, r.name);
    if (!pod || r.deleting) return;
    // The pod cgroup and its limit, before any container (as the kubelet's pod container manager).
    const dir = MEMORY + r.cgroup;
    mkdirSync(dir, { recursive: true });
    const limits = (pod.spec.containers as Obj[]).map((c) => c.resources?.limits?.memory);
    if (limits.every((l) => l !== undefined)) writeFileSync(`${dir}/memory.limit_in_bytes`, String(limits.reduce((n, l) => n + Math.ceil(quantity(l)), 0)));
    const sandboxName = `k8s_POD_${r.name}_${r.ns}_${r.uid}_0`;
    const sandbox = (adj: string[]) => this.docker([
      'run', '--detach', '--name', sandboxName,
      ...this.labels(r, 'POD'), '--label', 'io.kubernetes.docker.type=podsandbox',
      '--cgroup-parent', r.cgroup, ...adj, '--network', 'none', '--ipc', 'shareable',
      '--entrypoint', 'sleep', this.o.pauseImage, 'infinity',
    ]);
    let out: string;
    try {
      out = await this.withNegativeAdj(sandboxName, -998, sandbox);
    } catch (e) {
      const msg = ((e as { stderr?: string }).stderr ?? String(e)).trim();
      this.event(r, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${msg}`);
      return;
    }
    r.sandbox = out.trim();
    const started = timestamp();
    this.update(r, (p) => {
      p.status.startTime = started;
      p.status.hostIP = this.o.hostIP;
      p.status.hostIPs = [{ ip: this.o.hostIP }];
      p.status.conditions = conditions(p, { ready: false, names: (p.spec.containers as Obj[]).map((c) => c.name) });
      p.status.containerStatuses = (p.spec.containers as Obj[]).map((c) => ({ name: c.name, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {}, ready: false, restartCount: 0, image: c.image, imageID: '', started: false }));
    });
    const deadline = pod.spec.activeDeadlineSeconds;
    if (typeof deadline === 'number' && deadline > 0) r.deadline = setTimeout(() => this.enqueue(r, () => this.deadlineExceeded(r)), deadline * 1000);
    for (const c of pod.spec.containers as Obj[]) await this.startContainer(r, c.name);
  }

  /**
   * Runs `make` with --oom-score-adj ADJ. A negative value needs CAP_SYS_RESOURCE,
   * which some hosts (this CI's VM among them) withhold even from root: runc then
   * fails to start the container. Then the container is made without it, and the
   * log says so; its processes keep the runtime's default (0).
   */
  private async withNegativeAdj(name: string, adj: number, make: (adjArgs: string[]) => Promise<string>): Promise<string> {
    try {
      return await make(['--oom-score-adj', String(adj)]);
    } catch (e) {
      if (adj >= 0) throw e;
      await this.docker(['rm', '--force', name]).catch(() => '');
      this.o.log(`kubelet: ${name}: --oom-score-adj ${adj} refused (no CAP_SYS_RESOURCE on this host?); made without it`);
      return make([]);
    }
  }

  private labels(r: PodRun, container: string): string[] {
    return [
      '--label', 'oomlab=1', '--label', `oomlab.fake=${this.o.instance}`,
      '--label', `io.kubernetes.pod.uid=${r.uid}`, '--label', `io.kubernetes.pod.name=${r.name}`,
      '--label', `io.kubernetes.pod.namespace=${r.ns}`, '--label', `io.kubernetes.container.name=${container}`,
    ];
  }

  private setContainerStatus(r: PodRun, name: string, change: (s: Obj) => void): void {
    this.update(r, (p) => {
      const s = (p.status.containerStatuses as Obj[]).find((x) => x.name === name)!;
      change(s);
      const all = p.status.containerStatuses as Obj[];
      const ready = all.every((x) => x.ready);
      p.status.conditions = conditions(p, { ready, names: all.filter((x) => !x.ready).map((x) => x.name) });
      if (all.some((x) => x.state.running)) p.status.phase = 'Running';
    });
  }

  private async imageReady(r: PodRun, c: Obj): Promise<boolean> {
    const field = `spec.containers{${c.name}}`;
    const present = await this.docker(['image', 'inspect', '--format', '{{.Id}}', c.image]).then(() => true, () => false);
    if (present && c.imagePullPolicy !== 'Always') {
      this.event(r, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`, field);
      return true;
    }
    if (c.imagePullPolicy === 'Never') {
      const msg = `Container image "${c.image}" is not present with pull policy of Never`;
      this.event(r, 'Warning', 'ErrImageNeverPull', msg, field);
      this.setContainerStatus(r, c.name, (s) => (s.state = { waiting: { reason: 'ErrImageNeverPull', message: msg } }));
      return false;
    }
    this.event(r, 'Normal', 'Pulling', `Pulling image "${c.image}"`, field);
    try {
      await this.docker(['pull', c.image]);
      this.event(r, 'Normal', 'Pulled', `Successfully pulled image "${c.image}"`, field);
      return true;
    } catch (e) {
      const err = ((e as { stderr?: string }).stderr ?? String(e)).trim().split('\n').pop();
      const msg = `Failed to pull image "${c.image}": ${err}`;
      this.event(r, 'Warning', 'Failed', msg, field);
      this.event(r, 'Warning', 'Failed', 'Error: ErrImagePull', field);
      this.setContainerStatus(r, c.name, (s) => (s.state = { waiting: { reason: 'ErrImagePull', message: msg } }));
      const run = r.containers.get(c.name)!;
      // Back off, then try again (ImagePullBackOff while waiting).
      run.timer = setTimeout(() => {
        this.setContainerStatus(r, c.name, (s) => (s.state = { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${c.image}"` } }));
        this.event(r, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`, field);
      }, 1000);
      return false;
    }
  }

  private async startContainer(r: PodRun, name: string): Promise<void> {
    const pod = this.pod(r.ns, r.name);
    const run = r.containers.get(name)!;
    if (!pod || r.deleting || this.stopped) return;
    const c = (pod.spec.containers as Obj[]).find((x) => x.name === name)!;
    if (!(await this.imageReady(r, c))) return;
    const field = `spec.containers{${name}}`;
    const limit = c.resources?.limits?.memory !== undefined ? Math.ceil(quantity(c.resources.limits.memory)) : null;
    const request = c.resources?.requests?.memory !== undefined ? Math.ceil(quantity(c.resources.requests.memory)) : 0;
    const cpuReq = c.resources?.requests?.cpu !== undefined ? quantity(c.resources.requests.cpu) : 0;
    const adj = policyOomScoreAdj(r.qos, request, this.o.capacityBytes);
    const cmd: string[] | undefined = c.command;
    const args: string[] = c.args ?? [];
    const argv = [
      'create', '--name', `k8s_${name}_${r.name}_${r.ns}_${r.uid}_${run.attempt}`,
      ...this.labels(r, name), '--label', `io.kubernetes.container.restartCount=${run.attempt}`,
      '--cgroup-parent', r.cgroup, '--oom-score-adj', String(adj),
      '--network', `container:${r.sandbox}`, '--ipc', `container:${r.sandbox}`,
      ...(limit !== null ? ['--memory', `${limit}b`, '--memory-swap', `${limit}b`] : []),
      '--cpu-shares', String(Math.max(2, Math.floor((cpuReq * 1000 * 1024) / 1000))),
      ...(cmd?.length ? ['--entrypoint', cmd[0]!] : []),
      c.image,
      ...(cmd?.length ? cmd.slice(1) : []),
      ...args,
    ];
    const name_ = argv[2]!;
    let id = '';
    let stage = 'create';
    const make = async (adjArgs: string[]) => {
      stage = 'create';
      const a = adjArgs.length ? argv : argv.filter((x, i) => !(x === '--oom-score-adj' || argv[i - 1] === '--oom-score-adj'));
      id = (await this.docker(a)).trim();
      run.id = id;
      stage = 'start';
      await this.docker(['start', id]);
      return id;
    };
    try {
      await this.withNegativeAdj(name_, adj, make);
    } catch (e) {
      const msg = ((e as { stderr?: string }).stderr ?? String(e)).trim();
      this.event(r, 'Warning', 'Failed', `Error: ${msg}`, field);
      const reason = stage === 'create' ? 'CreateContainerError' : 'RunContainerError';
      this.setContainerStatus(r, name, (s) => (s.state = { waiting: { reason, message: msg } }));
      return;
    }
    this.event(r, 'Normal', 'Created', `Created container ${name}`, field);
    this.event(r, 'Normal', 'Started', `Started container ${name}`, field);
    const startedAt = (await this.docker(['inspect', '--format', '{{.State.StartedAt}}', id]).catch(() => '')).trim();
    this.setContainerStatus(r, name, (s) => {
      s.state = { running: { startedAt: rfc3339(startedAt) } };
      s.lastState = run.lastTerm ? { terminated: run.lastTerm } : {};
      s.ready = true;
      s.started = true;
      s.restartCount = run.attempt;
      s.containerID = `docker://${id}`;
      s.imageID = `docker-pullable://${c.image}`;
    });
  }

  // ------------------------------------------------------------ deaths and restarts

  private onDie(id: string): void {
    for (const r of this.pods.values()) {
      for (const run of r.containers.values()) {
        if (run.id === id) return this.enqueue(r, () => this.containerDied(r, run, id));
      }
    }
  }

  private async containerDied(r: PodRun, run: ContainerRun, id: string): Promise<void> {
    if (r.deleting || this.stopped || run.id !== id) return;
    const st = JSON.parse(await this.docker(['inspect', '--format', '{{json .State}}', id])) as Obj;
    const exitCode = Number(st.ExitCode);
    const term = {
      exitCode,
      reason: st.OOMKilled ? 'OOMKilled' : exitCode === 0 ? 'Completed' : 'Error',
      startedAt: rfc3339(st.StartedAt),
      finishedAt: rfc3339(st.FinishedAt),
      containerID: `docker://${id}`,
    };
    run.lastTerm = term;
    run.dead.push(id);
    const pod = this.pod(r.ns, r.name);
    if (!pod) return;
    const policy = pod.spec.restartPolicy as string;
    const restart = pod.status.phase !== 'Failed' && (policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0));
    this.setContainerStatus(r, run.name, (s) => {
      s.state = { terminated: term };
      s.ready = false;
      s.started = false;
    });
    if (!restart) {
      this.update(r, (p) => {
        const all = p.status.containerStatuses as Obj[];
        if (all.every((x) => x.state.terminated)) p.status.phase = all.every((x) => x.state.terminated.exitCode === 0) ? 'Succeeded' : 'Failed';
      });
      return;
    }
    // The kubelet keeps the last dead container (for logs and lastState); older ones go.
    for (const old of run.dead.slice(0, -1)) await this.docker(['rm', '--force', old]).catch(() => '');
    run.dead = run.dead.slice(-1);
    const field = `spec.containers{${run.name}}`;
    if (run.backoff === 0) {
      run.backoff = 10;
      run.attempt++;
      await this.startContainer(r, run.name);
      return;
    }
    const wait = run.backoff;
    this.setContainerStatus(r, run.name, (s) => {
      s.state = { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${wait}s restarting failed container=${run.name} pod=${r.name}_${r.ns}(${r.uid})` } };
      s.lastState = { terminated: term };
    });
    this.event(r, 'Warning', 'BackOff', `Back-off restarting failed container ${run.name} in pod ${r.name}_${r.ns}(${r.uid})`, field);
    run.timer = setTimeout(() => {
      run.timer = null;
      run.backoff = Math.min(run.backoff * 2, MAX_BACKOFF);
      run.attempt++;
      this.enqueue(r, () => this.startContainer(r, run.name));
    }, wait * 1000);
  }

  private async deadlineExceeded(r: PodRun): Promise<void> {
    if (r.deleting) return;
    this.event(r, 'Warning', 'DeadlineExceeded', 'Pod was active on the node longer than the specified deadline');
    this.update(r, (p) => {
      p.status.phase = 'Failed';
      p.status.reason = 'DeadlineExceeded';
      p.status.message = 'Pod was active on the node longer than the specified deadline';
    });
    for (const run of r.containers.values()) {
      if (run.timer) clearTimeout(run.timer);
      if (run.id) await this.docker(['kill', run.id]).catch(() => '');
    }
  }

  // ------------------------------------------------------------ deletion

  podDeleting(ns: string, name: string, grace: number): void {
    const pod = this.pod(ns, name);
    const r = pod ? this.pods.get(pod.metadata.uid) : undefined;
    if (!pod) return;
    if (!r) {
      // Never started here (unschedulable): nothing to stop.
      this.o.store.remove('pods', ns, name);
      this.o.afterPodRemoved();
      return;
    }
    r.deleting = true;
    this.enqueue(r, async () => {
      const running = [...r.containers.values()].filter((c) => c.id && !c.dead.includes(c.id));
      for (const c of running) this.event(r, 'Normal', 'Killing', `Stopping container ${c.name}`, `spec.containers{${c.name}}`);
      if (running.length) await this.docker(['stop', '--time', String(grace), ...running.map((c) => c.id!)]).catch(() => '');
      await this.teardown(r);
      this.o.store.remove('pods', r.ns, r.name);
      this.o.afterPodRemoved();
    });
  }

  /** A forced delete: the object is gone already; stop and remove what we started. */
  podRemoved(pod: Obj): void {
    const r = this.pods.get(pod.metadata.uid);
    if (!r) return;
    r.deleting = true;
    this.enqueue(r, () => this.teardown(r));
  }

  private async teardown(r: PodRun): Promise<void> {
    if (r.deadline) clearTimeout(r.deadline);
    for (const c of r.containers.values()) if (c.timer) clearTimeout(c.timer);
    const ids = (await this.docker(['ps', '--all', '--quiet', '--no-trunc', '--filter', `label=io.kubernetes.pod.uid=${r.uid}`, '--filter', `label=oomlab.fake=${this.o.instance}`])).split('\n').filter(Boolean);
    if (ids.length) await this.docker(['rm', '--force', '--volumes', ...ids]);
    removeCgroupEverywhere(r.cgroup);
    this.pods.delete(r.uid);
  }

  /** Stops following, removes every container and cgroup this kubelet made. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.events?.kill('SIGKILL');
    for (const r of [...this.pods.values()]) {
      r.deleting = true;
      await r.chain;
      await this.teardown(r).catch((e: unknown) => this.o.log(`kubelet stop: ${(e as Error).message}`));
    }
    const left = (await this.docker(['ps', '--all', '--quiet', '--no-trunc', '--filter', `label=oomlab.fake=${this.o.instance}`]).catch(() => '')).split('\n').filter(Boolean);
    if (left.length) await this.docker(['rm', '--force', '--volumes', ...left]).catch(() => '');
    for (const d of [...this.madeDirs].reverse()) removeCgroupEverywhere(d);
  }
}

/** rmdir a cgroup path (and what runc left below it) in every v1 hierarchy; deepest first. */
export function removeCgroupEverywhere(path: string): void {
  let hierarchies: string[] = [];
  try {
    hierarchies = readdirSync(CGROUP_ROOT);
  } catch {
    return;
  }
  for (const h of hierarchies) {
    const dir = `${CGROUP_ROOT}/${h}${path}`;
    if (!existsSync(dir)) continue;
    const rm = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) rm(`${d}/${e.name}`);
      for (let i = 0; i < 50; i++) {
        try {
          rmdirSync(d);
          return;
        } catch {
          // A dying member keeps it busy for a moment: block 20 ms (teardown is rare).
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
        }
      }
    };
    rm(dir);
  }
}

export function nodeLabels(name: string): Record<string, string> {
  return { 'kubernetes.io/hostname': name, 'kubernetes.io/os': 'linux', 'kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux', 'beta.kubernetes.io/arch': 'amd64', 'node-role.kubernetes.io/control-plane': 'true' };
}

function conditions(p: Obj, c: { ready: boolean; names: string[] }): Obj[] {
  const at = timestamp();
  const keep = (type: string) => (p.status.conditions as Obj[] | undefined)?.find((x) => x.type === type);
  const cond = (type: string, ok: boolean, reason?: string, message?: string) => {
    const prev = keep(type);
    const status = ok ? 'True' : 'False';
    return { type, status, lastProbeTime: null, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : at, ...(reason ? { reason, message } : {}) };
  };
  const notReady = `containers with unready status: [${c.names.join(' ')}]`;
  return [
    cond('PodReadyToStartContainers', true),
    cond('Initialized', true),
    c.ready ? cond('Ready', true) : cond('Ready', false, 'ContainersNotReady', notReady),
    c.ready ? cond('ContainersReady', true) : cond('ContainersReady', false, 'ContainersNotReady', notReady),
    cond('PodScheduled', true),
  ];
}

/** Docker prints nanoseconds; the API prints RFC 3339 seconds. */
function rfc3339(t: unknown): string {
  const d = new Date(String(t));
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1971 ? '1970-01-01T00:00:00Z' : d.toISOString().replace(/\.\d+Z$/, 'Z');
}
