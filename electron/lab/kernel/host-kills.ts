// The kills in a connected host's kernel log, each with its owner, as plain
// data for the desktop's "Kills on this host" view (one IPC request). The
// CLI's `kmsg --host` reads the same way (host-log.ts, kill-owner.ts).

import type { HostFacts } from '../host/facts';
import type { Transport } from '../ssh/transport';
import { killsOfHostLog, readHostKernelLog, sourceLabel } from './host-log';
import { killOwnerResolver, ownerText, type KillOwner } from './kill-owner';

export interface HostKill {
  kind: 'kill' | 'incomplete';
  pid: number | null;
  comm: string | null;
  /** The limit's cgroup, "global" or "unknown". */
  memcg: string;
  taskMemcg: string | null;
  /** ISO 8601 wall time on the host, when the log stamps it. */
  wall: string | null;
  seenIn: 'kill-line' | 'oom_reaper' | 'summary' | null;
  selectedPid: number | null;
  anonRssKb: number | null;
  owner: KillOwner;
  /** The owner in one line, or null when nothing names it. */
  ownerText: string | null;
}

export interface HostKillList {
  /** How the log was read: "/dev/kmsg", "dmesg (through sudo -n)", ... */
  source: string;
  kills: HostKill[];
}

export async function listHostKills(t: Transport, facts: HostFacts, o: { sinceSec: number | null; kubeconfig?: string | null }): Promise<HostKillList> {
  const read = await readHostKernelLog(t, { root: facts.root });
  const resolve = killOwnerResolver(t, facts, { kubeconfig: o.kubeconfig ?? null });
  const reports = killsOfHostLog(read, o.sinceSec);
  const kills = await Promise.all(
    reports.map(async (r): Promise<HostKill> => {
      const owner = await resolve(r);
      return {
        kind: r.pid === null ? 'incomplete' : 'kill',
        pid: r.pid,
        comm: r.comm,
        memcg: r.memcg,
        taskMemcg: r.taskMemcg,
        wall: r.time.wall,
        seenIn: r.pid === null ? null : (r.seenIn ?? 'kill-line'),
        selectedPid: r.selectedPid,
        anonRssKb: r.anonRssKb,
        owner,
        ownerText: ownerText(owner),
      };
    }),
  );
  return { source: sourceLabel(read.source, read.sudo), kills };
}
