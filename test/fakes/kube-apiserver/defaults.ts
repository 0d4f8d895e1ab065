// What the real API server does to a pod on create, written independently of
// the lab's own code (electron/lab/kube/) so the tests compare two
// implementations: defaulting (pkg/apis/core/v1/defaults.go), the QoS class
// (GetPodQOS, set into status.qosClass on create) and quantity parsing.

import type { Obj } from './store';

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6, m: 1e-3 };

export function quantity(v: unknown): number {
  const m = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/.exec(String(v).trim());
  if (!m) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(v)}`);
  return Number(m[1]) * UNITS[m[2] ?? '']!;
}

export function defaultPod(pod: Obj): void {
  const spec = pod.spec;
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.priority ??= 0;
  spec.enableServiceLinks ??= true;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
  spec.tolerations ??= [
    { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
    { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
  ];
  for (const c of spec.containers) {
    const tag = /:[^/]+$/.exec(c.image.replace(/@.*$/, ''))?.[0] ?? '';
    c.imagePullPolicy ??= tag === '' || tag === ':latest' ? 'Always' : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
    // A limit without a request: the request defaults to the limit.
    const limits = c.resources.limits ?? {};
    if (Object.keys(limits).length) {
      c.resources.requests ??= {};
      for (const [k, v] of Object.entries(limits)) c.resources.requests[k] ??= v;
    }
  }
}

/** GetPodQOS over the (defaulted) spec. */
export function qosClass(pod: Obj): 'Guaranteed' | 'Burstable' | 'BestEffort' {
  const req: Record<string, number> = {};
  const lim: Record<string, number> = {};
  let guaranteed = true;
  for (const c of pod.spec.containers as Obj[]) {
    for (const r of ['cpu', 'memory']) {
      const q = c.resources?.requests?.[r];
      if (q !== undefined && quantity(q) > 0) req[r] = (req[r] ?? 0) + quantity(q);
    }
    let found = 0;
    for (const r of ['cpu', 'memory']) {
      const q = c.resources?.limits?.[r];
      if (q !== undefined && quantity(q) > 0) {
        lim[r] = (lim[r] ?? 0) + quantity(q);
        found++;
      }
    }
    if (found < 2) guaranteed = false;
  }
  if (!Object.keys(req).length && !Object.keys(lim).length) return 'BestEffort';
  if (guaranteed && Object.entries(req).every(([r, q]) => lim[r] === q) && Object.keys(req).length === Object.keys(lim).length) return 'Guaranteed';
  return 'Burstable';
}

/** Field errors the API server would refuse the pod for (the few the lab could hit). */
export function validatePod(pod: Obj): string[] {
  const errs: string[] = [];
  const name = pod.metadata?.name;
  if (typeof name !== 'string' || !/^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/.test(name)) errs.push(`metadata.name: Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.'`);
  const cs = pod.spec?.containers;
  if (!Array.isArray(cs) || cs.length === 0) errs.push('spec.containers: Required value');
  else
    cs.forEach((c: Obj, i: number) => {
      if (!c.name) errs.push(`spec.containers[${i}].name: Required value`);
      if (!c.image) errs.push(`spec.containers[${i}].image: Required value`);
      for (const kind of ['requests', 'limits']) {
        for (const [k, v] of Object.entries(c.resources?.[kind] ?? {})) {
          try {
            quantity(v);
          } catch (e) {
            errs.push(`spec.containers[${i}].resources.${kind}[${k}]: Invalid value: ${(e as Error).message}`);
          }
        }
      }
      const l = c.resources?.limits?.memory;
      const r = c.resources?.requests?.memory;
      if (l !== undefined && r !== undefined && quantity(r) > quantity(l)) errs.push(`spec.containers[${i}].resources.requests: Invalid value: "${r}": must be less than or equal to memory limit`);
    });
  if (pod.spec && !['Always', 'OnFailure', 'Never'].includes(pod.spec.restartPolicy ?? 'Always')) errs.push(`spec.restartPolicy: Unsupported value: ${JSON.stringify(pod.spec.restartPolicy)}: supported values: "Always", "OnFailure", "Never"`);
  return errs;
}
