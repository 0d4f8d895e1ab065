// The lab's namespace: created with the run's mark when missing, and removed
// only when the lab created it (annotation oomlab.created-by) and nothing but
// what the cluster puts into every namespace lives there.

import { Kubectl, KubectlError } from '../kube/kubectl';
import { CREATED_BY_ANNOTATION, namespaceManifest } from '../kube/manifest';
import { parseNamespace } from '../kube/objects';
import { foreignContent, parseObjectRefs } from '../kube/ownership';

/** Make `ns` for run `runId` unless it exists; true when this call created it. */
export async function ensureLabNamespace(k: Kubectl, ns: string, runId: string): Promise<boolean> {
  try {
    parseNamespace(await k.run(['get', 'namespace', ns, '-o', 'json']), `namespace ${ns}`);
    return false;
  } catch (e) {
    if (!(e instanceof KubectlError) || e.reason !== 'NotFound') throw e;
  }
  try {
    await k.run(['create', '--validate=false', '-f', '-', '-o', 'json'], { stdin: JSON.stringify(namespaceManifest(ns, runId)) });
    return true;
  } catch (e) {
    if (!(e instanceof KubectlError) || e.reason !== 'AlreadyExists') throw e;
    return false;
  }
}

/** Every namespaced type the cluster can list (asked once per sweep or destroy). */
export async function listableTypes(k: Kubectl): Promise<string[]> {
  return (await k.run(['api-resources', '--namespaced=true', '--verbs=list', '-o', 'name'])).split('\n').map((l) => l.trim()).filter(Boolean);
}

/**
 * Delete `ns` if the lab created it and it holds nothing else. Returns null
 * when it was deleted (or is gone), else why it stays.
 */
export async function removeLabNamespace(k: Kubectl, ns: string, types: readonly string[]): Promise<string | null> {
  let annotations: Record<string, string>;
  try {
    annotations = parseNamespace(await k.run(['get', 'namespace', ns, '-o', 'json']), `namespace ${ns}`).annotations;
  } catch (e) {
    if (e instanceof KubectlError && e.reason === 'NotFound') return null;
    throw e;
  }
  if (!annotations[CREATED_BY_ANNOTATION]) return 'not made by the lab';
  const left = foreignContent(parseObjectRefs(await k.run(['get', types.join(','), '-n', ns, '-o', 'json'])));
  if (left.length) return `not empty (${left.slice(0, 5).join(', ')}${left.length > 5 ? `, ${left.length - 5} more` : ''})`;
  await k.run(['delete', 'namespace', ns, '--ignore-not-found', '--wait=true', '--timeout=60s'], { timeoutMs: 90_000 });
  return null;
}
