// The HTTP(S) side of the fake API server: the core/v1 REST subset that kubectl
// uses for what the pod target does. Routes, verbs and status codes follow the
// real API server; errors are metav1.Status objects, lists are <Kind>List with
// items WITHOUT kind/apiVersion (kubectl fills them in, as with a real server),
// and watches stream one JSON watch event per line over a chunked response.
//
//   GET    /version /api /apis /api/v1
//   GET    /api/v1/{namespaces,nodes}[/NAME]          list/get/watch
//   POST   /api/v1/namespaces                         create
//   DELETE /api/v1/namespaces/NAME                    Terminating -> pods deleted -> gone
//   GET    /api/v1/{pods,events}                      list/watch across namespaces
//   GET    /api/v1/namespaces/NS/{pods,events}[/NAME] list/get/watch
//   POST   /api/v1/namespaces/NS/pods                 create (defaulting, qosClass)
//   DELETE /api/v1/namespaces/NS/pods/NAME            graceful (the kubelet finishes it) or forced
//   PATCH  /api/v1/namespaces/NS/pods/NAME            merge patch of metadata labels/annotations (kubectl annotate)
//   GET|POST|DELETE /api/v1/namespaces/NS/configmaps[/NAME]  (each namespace gets kube-root-ca.crt, as from the controller)

import { createServer as createHttps, type Server as HttpsServer } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiGroupList, apiVersions, coreV1Resources, versionInfo } from './discovery';
import { defaultPod, qosClass, validatePod } from './defaults';
import { CLUSTER_SCOPED, fieldMatcher, KIND, labelMatcher, SelectorError, Store, timestamp, type Obj, type Resource } from './store';

export interface RequestLogEntry {
  t: string;
  method: string;
  url: string;
  status: number;
  userAgent: string;
}

export interface ApiHooks {
  /** A pod was stored (the scheduler + kubelet take it from here). */
  podCreated(ns: string, name: string): void;
  /** A graceful delete was asked for: the kubelet stops the containers, then calls store.remove. */
  podDeleting(ns: string, name: string, graceSeconds: number): void;
  /** A forced delete (grace 0) removed the object already: the kubelet only cleans up. */
  podRemoved(pod: Obj): void;
}

export class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Obj,
  ) {
    super(message);
  }
}

function status(e: HttpError): Obj {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: e.message, reason: e.reason, ...(e.details ? { details: e.details } : {}), code: e.code };
}

const notFound = (resource: Resource, name: string) => new HttpError(404, 'NotFound', `${resource} "${name}" not found`, { name, kind: resource });

export class FakeApi {
  readonly log: RequestLogEntry[] = [];
  private readonly open = new Set<ServerResponse>();

  constructor(
    readonly store: Store,
    private readonly hooks: ApiHooks,
    private readonly token: string,
    private readonly serverAddress: () => string,
    private readonly onLog: (e: RequestLogEntry) => void = () => {},
  ) {}

  listen(tls: { key: string; cert: string }): HttpsServer {
    const server = createHttps({ key: tls.key, cert: tls.cert }, (req, res) => {
      this.handle(req, res).catch((e: unknown) => this.fail(req, res, e instanceof HttpError ? e : new HttpError(500, 'InternalError', String((e as Error).stack ?? e))));
    });
    return server;
  }

  /** End every open watch (shutdown). */
  closeWatches(): void {
    for (const r of this.open) r.end();
    this.open.clear();
  }

  private record(req: IncomingMessage, code: number): void {
    const e = { t: timestamp(), method: req.method ?? '?', url: req.url ?? '?', status: code, userAgent: String(req.headers['user-agent'] ?? '') };
    this.log.push(e);
    this.onLog(e);
  }

  private send(req: IncomingMessage, res: ServerResponse, code: number, body: Obj): void {
    this.record(req, code);
    const text = JSON.stringify(body);
    res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-cache, private' });
    res.end(text);
  }

  private fail(req: IncomingMessage, res: ServerResponse, e: HttpError): void {
    if (res.headersSent) return void res.end();
    this.send(req, res, e.code, status(e));
  }

  private async body(req: IncomingMessage): Promise<Obj> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    if (!text.trim()) return {};
    try {
      return JSON.parse(text) as Obj;
    } catch (e) {
      throw new HttpError(400, 'BadRequest', `the object provided is unrecognized (${(e as Error).message})`);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://fake');
    if (req.headers.authorization !== `Bearer ${this.token}`) throw new HttpError(401, 'Unauthorized', 'Unauthorized');
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const q = url.searchParams;
    const method = req.method ?? 'GET';

    if (method === 'GET') {
      if (path === '/version') return this.send(req, res, 200, versionInfo());
      if (path === '/api') return this.send(req, res, 200, apiVersions(this.serverAddress()));
      if (path === '/apis') return this.send(req, res, 200, apiGroupList());
      if (path === '/api/v1') return this.send(req, res, 200, coreV1Resources());
    }

    const m = /^\/api\/v1\/(?:namespaces\/([^/]+)\/(pods|events|configmaps)|(namespaces|nodes|pods|events|configmaps))(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(path);
    if (!m) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    const ns = m[1] ? decodeURIComponent(m[1]) : null;
    const resource = (m[2] ?? m[3]) as Resource;
    const name = m[4] ? decodeURIComponent(m[4]) : null;
    if (m[5]) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');
    if (ns === null && name !== null && !CLUSTER_SCOPED.has(resource)) throw new HttpError(404, 'NotFound', 'the server could not find the requested resource');

    if (method === 'GET') {
      if (name !== null) {
        const o = this.store.get(resource, CLUSTER_SCOPED.has(resource) ? null : ns, name);
        if (!o) throw notFound(resource, name);
        return this.send(req, res, 200, withKind(resource, o));
      }
      let match: (o: Obj) => boolean;
      try {
        const lm = labelMatcher(q.get('labelSelector'));
        const fm = fieldMatcher(q.get('fieldSelector'));
        match = (o) => lm(o) && fm(o);
      } catch (e) {
        throw new HttpError(400, 'BadRequest', (e as SelectorError).message);
      }
      if (q.get('watch') === 'true' || q.get('watch') === '1') return this.watch(req, res, resource, ns, match, q.get('resourceVersion'), Number(q.get('timeoutSeconds') ?? 0));
      const items = this.store.list(resource, ns, match).map((o) => withoutKind(o));
      return this.send(req, res, 200, { kind: `${KIND[resource]}List`, apiVersion: 'v1', metadata: { resourceVersion: this.store.resourceVersion }, items });
    }

    if (method === 'POST' && name === null) {
      const body = await this.body(req);
      if (resource === 'namespaces' && ns === null) return this.send(req, res, 201, withKind(resource, this.createNamespace(body)));
      if (resource === 'pods' && ns !== null) return this.send(req, res, 201, withKind(resource, this.createPod(ns, body)));
      if (resource === 'configmaps' && ns !== null) return this.send(req, res, 201, withKind(resource, this.createConfigMap(ns, body)));
      throw new HttpError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`);
    }

    if (method === 'DELETE' && name !== null) {
      const body = await this.body(req);
      const graceQ = q.get('gracePeriodSeconds');
      const grace = graceQ !== null ? Number(graceQ) : typeof body.gracePeriodSeconds === 'number' ? body.gracePeriodSeconds : null;
      if (resource === 'pods' && ns !== null) return this.send(req, res, 200, withKind(resource, this.deletePod(ns, name, grace)));
      if (resource === 'namespaces' && ns === null) return this.send(req, res, 200, withKind(resource, this.deleteNamespace(name)));
      if (resource === 'configmaps' && ns !== null) {
        const gone = this.store.remove('configmaps', ns, name);
        if (!gone) throw notFound(resource, name);
        return this.send(req, res, 200, withKind(resource, gone));
      }
    }

    if (method === 'PATCH' && name !== null && resource === 'pods' && ns !== null) {
      const type = String(req.headers['content-type'] ?? '');
      // kubectl annotate/label send a merge patch; for metadata maps a strategic merge patch means the same.
      if (!/^application\/(merge-patch|strategic-merge-patch)\+json/.test(type)) throw new HttpError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/merge-patch+json, application/strategic-merge-patch+json`);
      const patch = await this.body(req);
      if (!this.store.get('pods', ns, name)) throw notFound(resource, name);
      const extra = Object.keys(patch).filter((k) => k !== 'metadata').concat(Object.keys(patch.metadata ?? {}).filter((k) => k !== 'labels' && k !== 'annotations'));
      if (extra.length) throw new HttpError(422, 'Invalid', `Pod "${name}" is invalid: the fake patches only metadata.labels and metadata.annotations, not ${extra.join(', ')}`);
      const updated = this.store.update('pods', ns, name, (p) => {
        for (const k of ['labels', 'annotations'] as const) {
          const m = patch.metadata?.[k];
          if (m === undefined) continue;
          const cur: Record<string, string> = { ...(p.metadata[k] ?? {}) };
          // RFC 7386: null removes a key.
          for (const [key, v] of Object.entries(m ?? {})) if (v === null) delete cur[key]; else cur[key] = String(v);
          p.metadata[k] = cur;
        }
      })!;
      return this.send(req, res, 200, withKind(resource, updated));
    }
    throw new HttpError(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource');
  }

  private watch(req: IncomingMessage, res: ServerResponse, resource: Resource, ns: string | null, match: (o: Obj) => boolean, rv: string | null, timeoutSeconds: number): void {
    this.record(req, 200);
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
    const write = (type: string, o: Obj) => res.write(`${JSON.stringify({ type, object: withKind(resource, o) })}\n`);
    // No resourceVersion (or "0"): the current state first, as ADDED events.
    if (!rv || rv === '0') for (const o of this.store.list(resource, ns, match)) write('ADDED', o);
    else if (Number(rv) < Number(this.store.resourceVersion) - 100_000) {
      res.end(`${JSON.stringify({ type: 'ERROR', object: status(new HttpError(410, 'Expired', `too old resource version: ${rv}`)) })}\n`);
      return;
    }
    const off = this.store.watch({ resource, namespace: ns, match, send: write });
    this.open.add(res);
    let timer: NodeJS.Timeout | undefined;
    const end = () => {
      off();
      clearTimeout(timer);
      this.open.delete(res);
    };
    if (timeoutSeconds > 0) timer = setTimeout(() => res.end(), timeoutSeconds * 1000);
    req.on('close', end);
    res.on('close', end);
  }

  private createNamespace(body: Obj): Obj {
    const name = body.metadata?.name;
    if (body.kind !== 'Namespace' || typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(name)) {
      throw new HttpError(422, 'Invalid', `Namespace "${name}" is invalid: metadata.name: Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-'`);
    }
    if (this.store.get('namespaces', null, name)) throw new HttpError(409, 'AlreadyExists', `namespaces "${name}" already exists`, { name, kind: 'namespaces' });
    const o: Obj = { metadata: { name, labels: { ...(body.metadata.labels ?? {}), 'kubernetes.io/metadata.name': name }, ...(body.metadata.annotations ? { annotations: { ...body.metadata.annotations } } : {}) }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
    const created = this.store.create('namespaces', o);
    // The root-CA publisher puts this ConfigMap into every namespace.
    this.store.create('configmaps', { metadata: { name: 'kube-root-ca.crt', namespace: name, annotations: { 'kubernetes.io/description': 'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc.' } }, data: { 'ca.crt': '' } });
    return created;
  }

  private createConfigMap(ns: string, body: Obj): Obj {
    const name = body.metadata?.name;
    if (body.kind !== 'ConfigMap') throw new HttpError(400, 'BadRequest', `the object provided is unrecognized (expected kind ConfigMap, got ${JSON.stringify(body.kind)})`);
    const space = this.store.get('namespaces', null, ns);
    if (!space) throw notFound('namespaces', ns);
    if (space.status?.phase === 'Terminating') throw new HttpError(403, 'Forbidden', `configmaps "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`);
    if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name)) throw new HttpError(422, 'Invalid', `ConfigMap "${name}" is invalid: metadata.name: Invalid value: ${JSON.stringify(name)}`);
    if (this.store.get('configmaps', ns, name)) throw new HttpError(409, 'AlreadyExists', `configmaps "${name}" already exists`, { name, kind: 'configmaps' });
    const cm = structuredClone(body);
    delete cm.kind;
    delete cm.apiVersion;
    cm.metadata.namespace = ns;
    return this.store.create('configmaps', cm);
  }

  private createPod(ns: string, body: Obj): Obj {
    if (body.kind !== 'Pod') throw new HttpError(400, 'BadRequest', `the object provided is unrecognized (expected kind Pod, got ${JSON.stringify(body.kind)})`);
    const space = this.store.get('namespaces', null, ns);
    if (!space) throw notFound('namespaces', ns);
    const name = body.metadata?.name;
    if (space.status?.phase === 'Terminating') throw new HttpError(403, 'Forbidden', `pods "${name}" is forbidden: unable to create new content in namespace ${ns} because it is being terminated`);
    if (body.metadata?.namespace && body.metadata.namespace !== ns) throw new HttpError(400, 'BadRequest', 'the namespace of the provided object does not match the namespace sent on the request');
    const pod = structuredClone(body);
    delete pod.kind;
    delete pod.apiVersion;
    pod.metadata.namespace = ns;
    const errs = validatePod(pod);
    if (errs.length) throw new HttpError(422, 'Invalid', `Pod "${name}" is invalid: ${errs.join(', ')}`);
    if (this.store.get('pods', ns, name)) throw new HttpError(409, 'AlreadyExists', `pods "${name}" already exists`, { name, kind: 'pods' });
    defaultPod(pod);
    pod.status = { phase: 'Pending', qosClass: qosClass(pod) };
    const stored = this.store.create('pods', pod);
    queueMicrotask(() => this.hooks.podCreated(ns, name));
    return stored;
  }

  private deletePod(ns: string, name: string, grace: number | null): Obj {
    const pod = this.store.get('pods', ns, name);
    if (!pod) throw notFound('pods', name);
    const g = grace ?? pod.spec.terminationGracePeriodSeconds ?? 30;
    // Not bound to a node, or forced: gone at once (the kubelet cleans up what it started).
    if (g === 0 || !pod.spec.nodeName) {
      const gone = this.store.remove('pods', ns, name)!;
      this.hooks.podRemoved(gone);
      this.finishNamespaces();
      return gone;
    }
    if (pod.metadata.deletionTimestamp) return pod;
    const updated = this.store.update('pods', ns, name, (p) => {
      p.metadata.deletionTimestamp = new Date(Date.now() + g * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      p.metadata.deletionGracePeriodSeconds = g;
    })!;
    this.hooks.podDeleting(ns, name, g);
    return updated;
  }

  private deleteNamespace(name: string): Obj {
    const space = this.store.get('namespaces', null, name);
    if (!space) throw notFound('namespaces', name);
    const updated =
      space.status?.phase === 'Terminating'
        ? space
        : this.store.update('namespaces', null, name, (n) => {
            n.metadata.deletionTimestamp = timestamp();
            n.status = { phase: 'Terminating' };
          })!;
    for (const p of this.store.list('pods', name)) this.deletePod(name, p.metadata.name, null);
    this.finishNamespaces();
    return updated;
  }

  /** The namespace controller: a Terminating namespace goes once its pods are gone. Called after every pod removal. */
  finishNamespaces(): void {
    for (const n of this.store.list('namespaces', null, (o) => o.status?.phase === 'Terminating')) {
      if (this.store.list('pods', n.metadata.name).length === 0) {
        for (const r of ['events', 'configmaps'] as const) for (const e of this.store.list(r, n.metadata.name)) this.store.remove(r, n.metadata.name, e.metadata.name);
        this.store.remove('namespaces', null, n.metadata.name);
      }
    }
  }
}

export function withKind(resource: Resource, o: Obj): Obj {
  return { kind: KIND[resource], apiVersion: 'v1', ...o };
}

function withoutKind(o: Obj): Obj {
  const { kind: _k, apiVersion: _a, ...rest } = o;
  return rest;
}
