// The pod's lease annotation (kube/ownership.ts), kept ahead of now while the
// run lives, so a sweep from any node leaves a live run's pod alone and a
// crashed run's lease runs out.

import type { Kubectl } from '../kube/kubectl';
import { LEASE_ANNOTATION } from '../kube/manifest';
import { leaseExpiry, LEASE_RENEW_MS } from '../kube/ownership';

/** Renews every LEASE_RENEW_MS until the returned stop() is called; a failed renewal before then is reported. */
export function renewPodLease(kubectl: Kubectl, namespace: string, name: string, onError: (message: string) => void): () => void {
  let stopped = false;
  const timer = setInterval(() => {
    kubectl
      .run(['annotate', '--overwrite', 'pod', name, '-n', namespace, `${LEASE_ANNOTATION}=${leaseExpiry(Date.now())}`])
      // After stop() (destroy began), a failed renewal is expected: the pod is going.
      .catch((e: Error) => stopped || onError(`cannot renew the lease of pod ${namespace}/${name}: ${e.message}`));
  }, LEASE_RENEW_MS);
  timer.unref();
  return () => {
    stopped = true;
    clearInterval(timer);
  };
}
