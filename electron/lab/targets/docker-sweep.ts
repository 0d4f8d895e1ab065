// The docker target's sweep: containers of lab runs (run label + owner record)
// that no live run holds.

import type { HostFacts } from '../host/facts';
import { Script, sh } from '../ssh/quote';
import type { Transport } from '../ssh/transport';
import { LABEL_CREATED, LABEL_RUN } from '../docker/commands';
import { BUILD_DIR_PREFIX } from '../docker/image';
import { LEASE_HELD_FN, OWNED_FN } from './lease';
import { RECORD_DIR, TARGET_PREFIX, targetName } from './names';
import { runSweep } from './exec';
import { TargetError, type SweepOptions } from './target';

/**
 * Remove every container of a lab run (label oomlab.run) whose owner record
 * (/run/oomlab/<name>.lock, with the container's oomlab.created time) says it
 * is ours and whose lease no live run holds, except `keep`; then stale
 * records and build directories of interrupted image builds. A container that
 * only looks like ours (started from the lab's image, labels set by hand) is
 * left alone and told to opts.onLeftAlone. No docker CLI, or a daemon that does
 * not answer: nothing of ours can be running there, returns [].
 */
export async function sweepDockerLeftovers(transport: Transport, facts: HostFacts, opts: SweepOptions = {}): Promise<string[]> {
  const keep = (opts.keep ?? []).map((n) => {
    if (!n.startsWith(TARGET_PREFIX)) throw new TargetError(`sweep keep: ${JSON.stringify(n)} is not an oomlab container name`);
    return targetName(n.slice(TARGET_PREFIX.length));
  });
  const script = sh`${new Script(LEASE_HELD_FN)}${OWNED_FN}command -v docker >/dev/null 2>&1 || exit 0
KEEP=${` ${keep.join(' ')} `}; FORCE=${opts.force ? '1' : ''}; fail=0
ids=$(docker ps --all --quiet --no-trunc --filter label=${LABEL_RUN} 2>/dev/null) || exit 0
for id in $ids; do
  # A kubelet copies pod labels onto its containers: those belong to the pod
  # target's sweep (through the API), never to a docker rm behind the kubelet.
  i=$(docker inspect --type container --format '{{.Name}} {{index .Config.Labels "io.kubernetes.pod.uid"}}|{{index .Config.Labels "${new Script(LABEL_RUN)}"}} {{index .Config.Labels "${new Script(LABEL_CREATED)}"}}' "$id" 2>/dev/null) || continue
  n=\${i%%|*}; lbl=\${i#*|}
  case "$n" in *" "?*) continue ;; esac
  n=\${n%% *}; n=\${n#/}
  case "$KEEP" in *" $n "*) continue ;; esac
  l=${RECORD_DIR}/$n.lock
  ca=$(sed -n 's/.*"createdAt":"\\([^"]*\\)".*/\\1/p' "$l" 2>/dev/null)
  if [ "$n" != "${new Script(TARGET_PREFIX)}\${lbl%% *}" ] || ! oomlab_owned "$l" "$n" || [ "$lbl" != "\${n#${new Script(TARGET_PREFIX)}} $ca" ]; then
    echo "left container $n: not ours, left alone (no owner record)"; continue
  fi
  # A live run (here or from another app) still holds its lease: not a leftover.
  [ -z "$FORCE" ] && oomlab_held "$l" && continue
  if docker rm --force --volumes "$id" >/dev/null 2>&1; then echo "removed container $n"; rm -f "$l"; else echo "cannot remove container $n ($id)" >&2; fail=1; fi
done
# Records and leases of runs that ended without removing them (a crash): nobody
# holds them and no container of that name is left.
for l in ${RECORD_DIR}/${new Script(TARGET_PREFIX)}*.lock; do
  [ -f "$l" ] || continue
  n=\${l##*/}; n=\${n%.lock}
  oomlab_held "$l" || docker container inspect "$n" >/dev/null 2>&1 || rm -f "$l"
done
for b in ${new Script(BUILD_DIR_PREFIX)}??????; do
  # An interrupted build (root's own mktemp dir); one in progress is younger than an hour.
  [ -d "$b" ] && [ ! -L "$b" ] && [ -O "$b" ] || continue
  [ -n "$(find "$b" -maxdepth 0 -mmin +60 2>/dev/null)" ] && rm -rf "$b" && echo "removed $b"
done
exit $fail`;
  return runSweep(transport, facts, 'sweep of oomlab containers', script, opts.onLeftAlone);
}
