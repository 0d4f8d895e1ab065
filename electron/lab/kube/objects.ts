import { LabError } from '../errors';
// Parsers of `kubectl ... -o json` output: Pod, PodList, EventList, Node,
// NodeList, Namespace and `--watch --output-watch-events` records. Pure; they
// keep the fields the pod target uses and name the field when one is malformed.
// Shapes follow the core/v1 API (checked against real kubectl output in
// test/fixtures/kube/).

export class KubeParseError extends LabError {
  constructor(message: string) {
    super('host', message);
    this.name = 'KubeParseError';
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function obj(v: unknown, where: string): Obj {
  if (!isObj(v)) throw new KubeParseError(`${where}: expected an object, got ${JSON.stringify(v)?.slice(0, 80)}`);
  return v;
}
function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new KubeParseError(`${where}.${key}: expected a string, got ${JSON.stringify(v)?.slice(0, 80)}`);
  return v;
}
const optStr = (o: Obj | undefined, key: string): string | null => (o && typeof o[key] === 'string' ? (o[key] as string) : null);
const optNum = (o: Obj | undefined, key: string): number | null => (o && typeof o[key] === 'number' ? (o[key] as number) : null);
const optObj = (o: Obj | undefined, key: string): Obj | undefined => (o && isObj(o[key]) ? (o[key] as Obj) : undefined);
function strMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (isObj(v)) for (const [k, x] of Object.entries(v)) if (typeof x === 'string') out[k] = x;
  return out;
}
const strList = (v: unknown): string[] | null => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : null);

export function parseJson(text: string | unknown, where: string): Obj {
  if (typeof text !== 'string') return obj(text, where);
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new KubeParseError(`${where}: not JSON (${(e as Error).message}): ${text.trim().slice(0, 120)}`);
  }
  return obj(v, where);
}

function kindOf(o: Obj, expected: string, where: string): void {
  const k = o.kind;
  if (k !== expected) throw new KubeParseError(`${where}: expected kind ${expected}, got ${JSON.stringify(k)}`);
}

// ------------------------------------------------------------------ pods

export interface ContainerState {
  kind: 'waiting' | 'running' | 'terminated' | 'none';
  reason: string | null;
  message: string | null;
  exitCode: number | null;
  signal: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** The container the terminated state belongs to (restarts get new ids). */
  containerID: string | null;
}

export interface ContainerStatus {
  name: string;
  /** "<runtime>://<id>"; null before the runtime created it. */
  containerID: string | null;
  image: string | null;
  ready: boolean;
  started: boolean | null;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
}

export interface ResourceList {
  cpu?: string;
  memory?: string;
}

export interface PodContainer {
  name: string;
  image: string;
  command: string[] | null;
  args: string[] | null;
  resources: { requests: ResourceList; limits: ResourceList };
}

export interface PodCondition {
  type: string;
  status: string;
  reason: string | null;
  message: string | null;
}

export interface Pod {
  name: string;
  namespace: string;
  uid: string;
  resourceVersion: string | null;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  deletionTimestamp: string | null;
  nodeName: string | null;
  restartPolicy: string | null;
  containers: PodContainer[];
  phase: string;
  /** Pod-level reason (Evicted, DeadlineExceeded, ...). */
  reason: string | null;
  message: string | null;
  qosClass: string | null;
  conditions: PodCondition[];
  containerStatuses: ContainerStatus[];
}

function parseState(v: unknown): ContainerState {
  const none: ContainerState = { kind: 'none', reason: null, message: null, exitCode: null, signal: null, startedAt: null, finishedAt: null, containerID: null };
  if (!isObj(v)) return none;
  for (const kind of ['terminated', 'waiting', 'running'] as const) {
    const s = optObj(v, kind);
    if (!s) continue;
    return {
      kind,
      reason: optStr(s, 'reason'),
      message: optStr(s, 'message'),
      exitCode: optNum(s, 'exitCode'),
      signal: optNum(s, 'signal'),
      startedAt: optStr(s, 'startedAt'),
      finishedAt: optStr(s, 'finishedAt'),
      containerID: optStr(s, 'containerID'),
    };
  }
  return none;
}

function resourceList(v: unknown): ResourceList {
  const out: ResourceList = {};
  if (!isObj(v)) return out;
  // The API server prints quantities as strings; a hand-written manifest may hold numbers.
  for (const k of ['cpu', 'memory'] as const) if (typeof v[k] === 'string' || typeof v[k] === 'number') out[k] = String(v[k]);
  return out;
}

export function parsePod(input: string | unknown, where = 'pod'): Pod {
  const o = parseJson(input, where);
  kindOf(o, 'Pod', where);
  const md = obj(o.metadata, `${where}.metadata`);
  const spec = obj(o.spec, `${where}.spec`);
  const status = optObj(o, 'status') ?? {};
  const name = str(md, 'name', `${where}.metadata`);
  const w = `pod ${name}`;
  const containersRaw = spec.containers;
  if (!Array.isArray(containersRaw)) throw new KubeParseError(`${w}.spec.containers: expected a list`);
  const containers = containersRaw.map((c, i): PodContainer => {
    const co = obj(c, `${w}.spec.containers[${i}]`);
    const res = optObj(co, 'resources');
    return {
      name: str(co, 'name', `${w}.spec.containers[${i}]`),
      image: str(co, 'image', `${w}.spec.containers[${i}]`),
      command: strList(co.command),
      args: strList(co.args),
      resources: { requests: resourceList(res?.requests), limits: resourceList(res?.limits) },
    };
  });
  const statuses = Array.isArray(status.containerStatuses) ? status.containerStatuses : [];
  return {
    name,
    namespace: str(md, 'namespace', `${w}.metadata`),
    uid: str(md, 'uid', `${w}.metadata`),
    resourceVersion: optStr(md, 'resourceVersion'),
    labels: strMap(md.labels),
    annotations: strMap(md.annotations),
    deletionTimestamp: optStr(md, 'deletionTimestamp'),
    nodeName: optStr(spec, 'nodeName'),
    restartPolicy: optStr(spec, 'restartPolicy'),
    containers,
    phase: optStr(status, 'phase') ?? 'Unknown',
    reason: optStr(status, 'reason'),
    message: optStr(status, 'message'),
    qosClass: optStr(status, 'qosClass'),
    conditions: (Array.isArray(status.conditions) ? status.conditions : []).filter(isObj).map((c) => ({
      type: optStr(c, 'type') ?? '',
      status: optStr(c, 'status') ?? '',
      reason: optStr(c, 'reason'),
      message: optStr(c, 'message'),
    })),
    containerStatuses: statuses.map((s, i): ContainerStatus => {
      const so = obj(s, `${w}.status.containerStatuses[${i}]`);
      return {
        name: str(so, 'name', `${w}.status.containerStatuses[${i}]`),
        containerID: optStr(so, 'containerID'),
        image: optStr(so, 'image'),
        ready: so.ready === true,
        started: typeof so.started === 'boolean' ? so.started : null,
        restartCount: optNum(so, 'restartCount') ?? 0,
        state: parseState(so.state),
        lastState: parseState(so.lastState),
      };
    }),
  };
}

function parseList<T>(input: string | unknown, kind: string, where: string, item: (v: unknown, where: string) => T): T[] {
  const o = parseJson(input, where);
  // `kubectl get TYPE -o json` prints a v1 "List"; the API itself answers with <Kind>List.
  if (o.kind !== 'List' && o.kind !== kind) throw new KubeParseError(`${where}: expected kind ${kind} or List, got ${JSON.stringify(o.kind)}`);
  if (!Array.isArray(o.items)) throw new KubeParseError(`${where}.items: expected a list`);
  return o.items.map((v, i) => item(v, `${where}.items[${i}]`));
}

export function parsePodList(input: string | unknown, where = 'pod list'): Pod[] {
  return parseList(input, 'PodList', where, parsePod);
}

// ------------------------------------------------------------------ events

export interface KubeEvent {
  name: string;
  namespace: string;
  uid: string | null;
  involvedObject: { kind: string | null; name: string | null; namespace: string | null; uid: string | null; fieldPath: string | null };
  reason: string | null;
  message: string | null;
  /** Normal | Warning */
  type: string | null;
  count: number;
  /** lastTimestamp, else eventTime, else firstTimestamp. */
  time: string | null;
  source: string | null;
}

export function parseEvent(input: string | unknown, where = 'event'): KubeEvent {
  const o = parseJson(input, where);
  kindOf(o, 'Event', where);
  const md = obj(o.metadata, `${where}.metadata`);
  const io = optObj(o, 'involvedObject');
  const src = optObj(o, 'source');
  return {
    name: str(md, 'name', `${where}.metadata`),
    namespace: optStr(md, 'namespace') ?? '',
    uid: optStr(md, 'uid'),
    involvedObject: { kind: optStr(io, 'kind'), name: optStr(io, 'name'), namespace: optStr(io, 'namespace'), uid: optStr(io, 'uid'), fieldPath: optStr(io, 'fieldPath') },
    reason: optStr(o, 'reason'),
    message: optStr(o, 'message'),
    type: optStr(o, 'type'),
    count: optNum(o, 'count') ?? 1,
    time: optStr(o, 'lastTimestamp') ?? optStr(o, 'eventTime') ?? optStr(o, 'firstTimestamp'),
    source: optStr(src, 'component') ?? optStr(o, 'reportingComponent'),
  };
}

export function parseEventList(input: string | unknown, where = 'event list'): KubeEvent[] {
  return parseList(input, 'EventList', where, parseEvent);
}

// ------------------------------------------------------------------ nodes

export interface Node {
  name: string;
  labels: Record<string, string>;
  /** status.capacity.memory / allocatable.memory as printed ("2041888Ki"). */
  capacityMemory: string | null;
  allocatableMemory: string | null;
  addresses: Array<{ type: string; address: string }>;
  ready: boolean | null;
}

export function parseNode(input: string | unknown, where = 'node'): Node {
  const o = parseJson(input, where);
  kindOf(o, 'Node', where);
  const md = obj(o.metadata, `${where}.metadata`);
  const st = optObj(o, 'status');
  const ready = (Array.isArray(st?.conditions) ? st!.conditions : []).filter(isObj).find((c) => c.type === 'Ready');
  return {
    name: str(md, 'name', `${where}.metadata`),
    labels: strMap(md.labels),
    capacityMemory: optStr(optObj(st, 'capacity'), 'memory'),
    allocatableMemory: optStr(optObj(st, 'allocatable'), 'memory'),
    addresses: (Array.isArray(st?.addresses) ? st!.addresses : []).filter(isObj).map((a) => ({ type: optStr(a, 'type') ?? '', address: optStr(a, 'address') ?? '' })),
    ready: ready ? ready.status === 'True' : null,
  };
}

export function parseNodeList(input: string | unknown, where = 'node list'): Node[] {
  return parseList(input, 'NodeList', where, parseNode);
}

// ------------------------------------------------------------------ namespaces

export interface Namespace {
  name: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  phase: string | null;
}

export function parseNamespace(input: string | unknown, where = 'namespace'): Namespace {
  const o = parseJson(input, where);
  kindOf(o, 'Namespace', where);
  const md = obj(o.metadata, `${where}.metadata`);
  return { name: str(md, 'name', `${where}.metadata`), labels: strMap(md.labels), annotations: strMap(md.annotations), phase: optStr(optObj(o, 'status'), 'phase') };
}

// ------------------------------------------------------------------ watch

export interface WatchRecord {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: Obj;
}

/** One record of `kubectl get ... --watch --output-watch-events -o json`. */
export function parseWatchRecord(input: string | unknown, where = 'watch'): WatchRecord {
  const o = parseJson(input, where);
  const t = o.type;
  if (t !== 'ADDED' && t !== 'MODIFIED' && t !== 'DELETED' && t !== 'BOOKMARK' && t !== 'ERROR') throw new KubeParseError(`${where}.type: expected ADDED, MODIFIED, DELETED, BOOKMARK or ERROR, got ${JSON.stringify(t)}`);
  return { type: t, object: obj(o.object, `${where}.object`) };
}

/**
 * kubectl prints watch records as indented JSON, one object after another.
 * Feed it lines; it returns each complete top-level object's text.
 */
export class JsonObjectSplitter {
  private buf = '';
  private depth = 0;
  private inString = false;
  private escaped = false;

  push(line: string): string[] {
    const out: string[] = [];
    const text = `${line}\n`;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
        continue;
      }
      if (c === '"') this.inString = true;
      else if (c === '{') this.depth++;
      else if (c === '}') {
        this.depth--;
        if (this.depth === 0) {
          out.push((this.buf + text.slice(start, i + 1)).trim());
          this.buf = '';
          start = i + 1;
        }
      }
    }
    const rest = text.slice(start);
    if (this.depth > 0) this.buf += rest;
    return out;
  }
}
