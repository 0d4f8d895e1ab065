// Freezing a target while the run is paused, so a workload that keeps moving
// (a growing allocator) does not reach its kill while the screen says "paused".
// What the kernel does (docs/pause.md): v1 writes FROZEN to freezer.state and
// reads back FREEZING until every task is in the refrigerator; v2 writes 1 to
// cgroup.freeze and cgroup.events says `frozen 1` when done. An OOM victim is
// never frozen (mark_oom_victim thaws it, freezing() is false for it), so a
// kill the kernel had already chosen completes during a pause. A v1 frozen task
// does not die of SIGKILL until it is thawed: teardown thaws first.

import { command, Script, sh } from '../ssh/quote';
import type { HostFacts } from '../host/facts';
import type { Transport } from '../ssh/transport';
import { runAsRoot } from './exec';
import { WRITE_FN } from './shell';
import { TargetError } from './target';

/** How long a freeze may take before the pause falls back to the runner only (a task in D state stalls v1 FREEZING). */
export const FREEZE_WAIT_SEC = 5;

/** The v1 freezer hierarchy's mount, where the probe found one (also mounted with other controllers). */
export function freezerMountOf(facts: HostFacts): string | null {
  return facts.freezerMount ?? null;
}

/** The v1 freezer directory that mirrors a memory cgroup directory, or null when the host has no freezer hierarchy. */
export function freezerDirOf(facts: HostFacts, memoryDir: string): string | null {
  const mount = freezerMountOf(facts);
  const mem = facts.memoryMount;
  if (!mount || !mem || !memoryDir.startsWith(`${mem}/`)) return null;
  return `${mount}${memoryDir.slice(mem.length)}`;
}

const V1_FREEZE = `w "$F/freezer.state" FROZEN || exit 1
i=0
while read -r s < "$F/freezer.state"; [ "$s" != FROZEN ]; do
  i=$((i+1))
  if [ $i -ge $((WAIT*20)) ]; then w "$F/freezer.state" THAWED; echo "$F/freezer.state stayed $s for $WAIT s (a task in uninterruptible sleep?); thawed again" >&2; exit 1; fi
  # FREEZING retries only when FROZEN is written again.
  w "$F/freezer.state" FROZEN; sleep 0.05
done`;

const V2_FREEZE = `w "$F/cgroup.freeze" 1 || exit 1
i=0
until grep -qx 'frozen 1' "$F/cgroup.events"; do
  i=$((i+1))
  if [ $i -ge $((WAIT*20)) ]; then w "$F/cgroup.freeze" 0; echo "$F/cgroup.events did not say frozen 1 within $WAIT s; thawed again" >&2; exit 1; fi
  sleep 0.05
done`;

export type FreezeKind = 'cgroup-v1' | 'cgroup-v2';

/** Freezes dir and waits until the kernel says every task is frozen; throws a TargetError otherwise (thawed again). */
export async function freezeCgroup(transport: Transport, facts: HostFacts, kind: FreezeKind, dir: string): Promise<void> {
  const body = kind === 'cgroup-v1' ? V1_FREEZE : V2_FREEZE;
  await runAsRoot(transport, facts, `cannot freeze ${dir}`, sh`${WRITE_FN}F=${dir}; WAIT=${FREEZE_WAIT_SEC}
${new Script(body)}`, (FREEZE_WAIT_SEC + 10) * 1000);
}

export async function thawCgroup(transport: Transport, facts: HostFacts, kind: FreezeKind, dir: string): Promise<void> {
  const file = kind === 'cgroup-v1' ? 'freezer.state' : 'cgroup.freeze';
  const value = kind === 'cgroup-v1' ? 'THAWED' : '0';
  await runAsRoot(transport, facts, `cannot thaw ${dir}`, sh`${WRITE_FN}[ -d ${dir} ] || exit 0
w ${`${dir}/${file}`} ${value}`, 30_000);
}

/**
 * `docker pause` freezes the container's cgroup (the leaves inside it too); unpause thaws it. The pause is taken as
 * done only when the kernel says so for the container's own cgroup (dir, its memory directory): the daemon's answer
 * comes from the runtime, and a pause the kernel has not finished lets the workload move while the screen says paused.
 */
export async function dockerPause(transport: Transport, facts: HostFacts, container: string, pause: boolean, kind: FreezeKind, dir: string): Promise<void> {
  if (!pause) {
    await runAsRoot(transport, facts, `cannot unpause ${container}`, command(['docker', 'unpause', container]), 30_000);
    return;
  }
  const state = kind === 'cgroup-v1' ? freezerDirOf(facts, dir) : dir;
  const check = state === null ? '' : kind === 'cgroup-v1' ? `read -r s < "$F/freezer.state"; [ "$s" = FROZEN ]` : `grep -qx 'frozen 1' "$F/cgroup.events"`;
  const wait = check ? `
i=0
until ${check}; do
  i=$((i+1))
  if [ $i -ge $((WAIT*20)) ]; then docker unpause "$C" >/dev/null 2>&1; echo "docker paused $C but the kernel did not say frozen for $F within $WAIT s; unpaused again" >&2; exit 1; fi
  sleep 0.05
done` : '';
  await runAsRoot(transport, facts, `cannot pause ${container}`, sh`C=${container}; F=${state ?? ''}; WAIT=${FREEZE_WAIT_SEC}
docker pause "$C" >/dev/null || exit 1${new Script(wait)}`, (FREEZE_WAIT_SEC + 30) * 1000);
}

/** Where a cgroup the lab did not make lives (a pod's container). */
export interface FreezeSite {
  transport: Transport;
  facts: HostFacts;
  kind: FreezeKind;
}

/**
 * Freeze/thaw for a cgroup found on the host: its v1 freezer twin (the runtime makes one per hierarchy) or v2
 * cgroup.freeze. memoryDir is asked only when the pause comes (a pod's container is found after create).
 */
export function cgroupFreezer(site: () => FreezeSite, memoryDir: () => string): { freeze(): Promise<string>; thaw(): Promise<void>; problem(): string | null } {
  const dirOf = (s: FreezeSite) => (s.kind === 'cgroup-v2' ? memoryDir() : freezerDirOf(s.facts, memoryDir()));
  return {
    problem: () => {
      const s = site();
      return s.kind === 'cgroup-v1' && !freezerMountOf(s.facts) ? `${s.transport.label} mounts no v1 freezer hierarchy` : null;
    },
    freeze: async () => {
      const s = site();
      const dir = dirOf(s);
      if (!dir) throw new TargetError(`${s.transport.label}: no freezer cgroup for ${memoryDir()}`);
      await freezeCgroup(s.transport, s.facts, s.kind, dir);
      return `${s.kind === 'cgroup-v1' ? 'freezer.state' : 'cgroup.freeze'} on ${dir}`;
    },
    thaw: async () => {
      const s = site();
      const dir = dirOf(s);
      if (dir) await thawCgroup(s.transport, s.facts, s.kind, dir);
    },
  };
}
