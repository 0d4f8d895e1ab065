// The docker target's sweep: containers labelled oomlab that no live run holds.

import type { HostFacts } from '../host/facts';
import { Script, sh } from '../ssh/quote';
import type { Transport } from '../ssh/transport';
import { LABEL } from '../docker/commands';
import { LEASE_HELD_FN } from './lease';
import { RECORD_DIR, TARGET_PREFIX, targetName } from './names';
import { runSweep } from './exec';
import { TargetError, type SweepOptions } from './target';

/**
 * Remove every container labelled oomlab (running or not) except `keep`, and
 * build directories of interrupted image builds. No docker CLI, or a daemon that
 * does not answer: nothing of ours can be running there, returns [].
 */
export async function sweepDockerLeftovers(transport: Transport, facts: HostFacts, opts: SweepOptions = {}): Promise<string[]> {
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
  return runSweep(transport, facts, 'sweep of oomlab containers', script);
}

