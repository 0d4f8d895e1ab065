// The cgroup targets' sweep: what crashed runs left under the lab parent.

import type { HostFacts } from '../host/facts';
import { Script, sh } from '../ssh/quote';
import type { Transport } from '../ssh/transport';
import { checkMount, LAB_PARENT, RECORD_DIR, SCRATCH_PREFIX, TARGET_PREFIX, targetName } from './names';
import { DESTROY_FNS } from './shell';
import { OWNED_FN } from './lease';
import { runSweep } from './exec';
import { TargetError, type SweepOptions } from './target';

/**
 * Remove every oomlab-* target under the lab parent whose owner record says it
 * is the lab's and whose lease no live run holds (members killed first), then
 * orphaned owner records with the scratch dirs they name, and the lab parent
 * when empty. A cgroup without an owner record, and a /var/tmp/oomlab-* dir no
 * record names, are not the lab's: left alone and told to opts.onLeftAlone.
 * Returns what it removed (cgroup paths, then other paths).
 */
export async function sweepCgroupLeftovers(transport: Transport, facts: HostFacts, opts: SweepOptions = {}): Promise<string[]> {
  const mount = checkMount(facts.memoryMount, transport.label);
  const keep = (opts.keep ?? []).map((n) => {
    if (!n.startsWith(TARGET_PREFIX)) throw new TargetError(`sweep keep: ${JSON.stringify(n)} is not an oomlab target name`);
    return targetName(n.slice(TARGET_PREFIX.length));
  });
  const parent = `${mount}/${LAB_PARENT}`;
  const script = sh`${DESTROY_FNS}${OWNED_FN}P=${parent}; KEEP=${` ${keep.join(' ')} `}; FORCE=${opts.force ? '1' : ''}; fail=0
held() { [ -z "$FORCE" ] && command -v flock >/dev/null 2>&1 && ! flock -n -x "$1" true 2>/dev/null; }
if [ -d "$P" ]; then
  for t in "$P"/${new Script(TARGET_PREFIX)}*/; do
    [ -d "$t" ] || continue
    t=\${t%/}; n=\${t##*/}
    case "$KEEP" in *" $n "*) continue ;; esac
    r=${RECORD_DIR}/$n.json
    if ! oomlab_owned "$r" "$n"; then echo "left $t: not ours, left alone (no owner record)"; continue; fi
    if held "$r"; then echo "busy $t"; continue; fi
    if oomlab_destroy "$t" "$r"; then echo "removed $t"; else fail=1; fi
  done
fi
for r in ${RECORD_DIR}/${new Script(TARGET_PREFIX)}*.json; do
  [ -f "$r" ] || continue
  n=\${r##*/}; n=\${n%.json}
  [ -d "$P/$n" ] && continue
  held "$r" && continue
  if s=$(oomlab_scratch "$r"); then rm -rf "$s" && echo "removed $s"; fi
  rm -f "$r" && echo "removed $r"
done
for s in ${SCRATCH_PREFIX}*; do
  [ -e "$s" ] || [ -L "$s" ] || continue
  grep -qF "\\"scratch\\":\\"$s\\"" ${RECORD_DIR}/${new Script(TARGET_PREFIX)}*.json 2>/dev/null || echo "left $s: not ours, left alone (no owner record names it)"
done
[ -d "$P" ] && rmdir "$P" 2>/dev/null && echo "removed $P"
exit $fail`;
  return runSweep(transport, facts, `sweep of ${parent}`, script, opts.onLeftAlone);
}
