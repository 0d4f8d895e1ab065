// The fake API server's object store: namespaced objects by resource, one
// resourceVersion counter for everything (as etcd's revision), label and field
// selectors, and watchers fed in order. JSON objects only; no persistence.

import { randomUUID } from 'node:crypto';

export type Obj = Record<string, any>;
export type Resource = 'pods' | 'events' | 'namespaces' | 'nodes' | 'configmaps';
export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface Watcher {
  resource: Resource;
  namespace: string | null;
  match: (o: Obj) => boolean;
  send: (type: WatchType, o: Obj) => void;
}

export const KIND: Record<Resource, string> = { pods: 'Pod', events: 'Event', namespaces: 'Namespace', nodes: 'Node', configmaps: 'ConfigMap' };
export const CLUSTER_SCOPED: ReadonlySet<Resource> = new Set(['namespaces', 'nodes']);

const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');
export const timestamp = now;

export class Store {
  private rv = 1000;
  private readonly objects = new Map<Resource, Map<string, Obj>>();
  private readonly watchers = new Set<Watcher>();

  constructor() {
    for (const r of Object.keys(KIND) as Resource[]) this.objects.set(r, new Map());
  }

  get resourceVersion(): string {
    return String(this.rv);
  }

  private key(ns: string | null, name: string): string {
    return `${ns ?? ''}/${name}`;
  }

  get(resource: Resource, ns: string | null, name: string): Obj | undefined {
    return this.objects.get(resource)!.get(this.key(ns, name));
  }

  list(resource: Resource, ns: string | null, match: (o: Obj) => boolean = () => true): Obj[] {
    return [...this.objects.get(resource)!.values()].filter((o) => (ns === null || o.metadata.namespace === ns) && match(o));
  }

  /** Stores a new object: uid, creationTimestamp, resourceVersion set here. */
  create(resource: Resource, o: Obj): Obj {
    o.metadata.uid ??= randomUUID();
    o.metadata.creationTimestamp ??= now();
    o.metadata.resourceVersion = String(++this.rv);
    this.objects.get(resource)!.set(this.key(o.metadata.namespace ?? null, o.metadata.name), o);
    this.notify(resource, 'ADDED', o);
    return o;
  }

  /** Replaces the stored object after `change` edited a copy. */
  update(resource: Resource, ns: string | null, name: string, change: (o: Obj) => void): Obj | undefined {
    const cur = this.get(resource, ns, name);
    if (!cur) return undefined;
    const next = structuredClone(cur);
    change(next);
    next.metadata.resourceVersion = String(++this.rv);
    this.objects.get(resource)!.set(this.key(ns, name), next);
    this.notify(resource, 'MODIFIED', next);
    return next;
  }

  remove(resource: Resource, ns: string | null, name: string): Obj | undefined {
    const cur = this.get(resource, ns, name);
    if (!cur) return undefined;
    this.objects.get(resource)!.delete(this.key(ns, name));
    const gone = structuredClone(cur);
    gone.metadata.resourceVersion = String(++this.rv);
    this.notify(resource, 'DELETED', gone);
    return gone;
  }

  watch(w: Watcher): () => void {
    this.watchers.add(w);
    return () => this.watchers.delete(w);
  }

  private notify(resource: Resource, type: WatchType, o: Obj): void {
    for (const w of [...this.watchers]) {
      if (w.resource !== resource) continue;
      if (w.namespace !== null && o.metadata.namespace !== w.namespace) continue;
      if (w.match(o)) w.send(type, o);
    }
  }
}

/** Label selector: "a=b,c!=d,e,!f" (set-based "in"/"notin" too). */
export function labelMatcher(selector: string | null): (o: Obj) => boolean {
  if (!selector) return () => true;
  const reqs = splitSelector(selector).map((part) => {
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      const vals = m[3]!.split(',').map((v) => v.trim());
      const key = m[1]!;
      return m[2] === 'in' ? (l: Record<string, string>) => key in l && vals.includes(l[key]!) : (l: Record<string, string>) => !(key in l) || !vals.includes(l[key]!);
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(part);
    if (m) {
      const [, key, op, val] = m;
      return op === '!=' ? (l: Record<string, string>) => l[key!] !== val : (l: Record<string, string>) => l[key!] === val;
    }
    m = /^(!?)([\w./-]+)$/.exec(part);
    if (m) return m[1] ? (l: Record<string, string>) => !(m![2]! in l) : (l: Record<string, string>) => m![2]! in l;
    throw new SelectorError(`unable to parse requirement: ${part}`);
  });
  return (o) => reqs.every((r) => r(o.metadata.labels ?? {}));
}

function splitSelector(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of s) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

export class SelectorError extends Error {}

const FIELDS: Record<string, (o: Obj) => string | undefined> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace,
  'spec.nodeName': (o) => o.spec?.nodeName ?? '',
  'status.phase': (o) => o.status?.phase,
  'involvedObject.kind': (o) => o.involvedObject?.kind,
  'involvedObject.name': (o) => o.involvedObject?.name,
  'involvedObject.namespace': (o) => o.involvedObject?.namespace,
  'involvedObject.uid': (o) => o.involvedObject?.uid,
  'involvedObject.fieldPath': (o) => o.involvedObject?.fieldPath ?? '',
  reason: (o) => o.reason,
  type: (o) => o.type,
};

/** Field selector: "metadata.name=x,involvedObject.uid!=y" over the fields the API server indexes. */
export function fieldMatcher(selector: string | null): (o: Obj) => boolean {
  if (!selector) return () => true;
  const reqs = selector.split(',').map((part) => {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(part.trim());
    if (!m) throw new SelectorError(`invalid field selector: ${part}`);
    const get = FIELDS[m[1]!];
    if (!get) throw new SelectorError(`field label not supported: ${m[1]}`);
    const val = m[3]!;
    return m[2] === '!=' ? (o: Obj) => get(o) !== val : (o: Obj) => get(o) === val;
  });
  return (o) => reqs.every((r) => r(o));
}
