// `oomlab kmsg --host H [--since 2h] [--follow] [--json]`: the kills in a
// host's kernel log, each traced to its container, pod or unit. Only reads:
// the follow never writes its start marker into /dev/kmsg (marker: false).

import { startKernelFollower } from '../lab/kernel/follower';
import { killsOfHostLog, parseSince, readHostKernelLog, sourceLabel, wallOf, type AnyReport, type HostLogRead } from '../lab/kernel/host-log';
import { killOwnerResolver, ownerText, type KillOwner } from '../lab/kernel/kill-owner';
import { measureHostClock } from '../lab/sampler/clock';
import { openHost } from './connect';
import { CliExit, exitCodes } from './exit';
import { block, human, toJson } from './kmsg-format';
import type { HostFlags } from './options';
import { terminalSafe, terminalSafeJson } from './terminal-text';

export interface KmsgHostFlags extends HostFlags {
  since?: string;
  follow?: boolean;
  json?: boolean;
  killsOnly?: boolean;
  kubeconfig?: string;
}

const jsonOf = (r: AnyReport, owner: KillOwner) => ({ ...toJson(r), owner });

function withOwner(text: string, owner: KillOwner): string {
  const lines = text.replace(/\n$/, '').split('\n');
  const o = ownerText(owner);
  if (o) lines.push(`  owner       ${terminalSafe(o)}`);
  for (const u of owner.unresolved) lines.push(`  unresolved  ${terminalSafe(u)}`);
  return `${lines.join('\n')}\n`;
}

export async function kmsgHost(o: KmsgHostFlags, out: (s: string) => void, err: (s: string) => void): Promise<void> {
  const sinceSec = o.since === undefined ? null : parseSince(o.since);
  if (o.since !== undefined && sinceSec === null) throw new CliExit(exitCodes.usage, `--since must be a duration like 90s, 10m, 2h or 3d, got ${JSON.stringify(o.since)}`);
  if (o.kubeconfig !== undefined && !o.kubeconfig.startsWith('/')) throw new CliExit(exitCodes.usage, `--kubeconfig must be an absolute path on the host, got ${JSON.stringify(o.kubeconfig)}`);
  const session = await openHost(o);
  const { transport, facts } = session;
  try {
    const read = await readHostKernelLog(transport, { root: facts.root });
    const resolve = killOwnerResolver(transport, facts, { kubeconfig: o.kubeconfig ?? null });
    const via = `${transport.label}: kernel log read through ${sourceLabel(read.source, read.sudo)}`;
    if (o.follow) return await follow(o, read, resolve, via, out, err, session);
    const reports = killsOfHostLog(read, sinceSec).filter((r) => !o.killsOnly || r.pid !== null);
    const owners = await Promise.all(reports.map(resolve));
    err(`${terminalSafe(via)}${sinceSec !== null ? `, last ${o.since}` : ''}\n`);
    if (o.json) return out(`${terminalSafeJson(reports.map((r, i) => jsonOf(r, owners[i]!)), 2)}\n`);
    if (reports.length === 0) return out(`No OOM kills in the kernel log of ${terminalSafe(transport.label)}${sinceSec !== null ? ` in the last ${o.since}` : ''}.\n`);
    out(human(reports, transport.label, (b, i) => withOwner(b, owners[i]!)));
  } finally {
    await transport.close().catch(() => {});
  }
}

/** Stream kills until Ctrl-C (SIGINT/SIGTERM) or the link drops. */
async function follow(
  o: KmsgHostFlags,
  read: HostLogRead,
  resolve: (r: AnyReport) => Promise<KillOwner>,
  via: string,
  out: (s: string) => void,
  err: (s: string) => void,
  { transport, facts }: Awaited<ReturnType<typeof openHost>>,
): Promise<void> {
  const clock = await measureHostClock(transport);
  let n = 0;
  // Kills are printed in log order even though tracing one takes a round trip or two.
  let queue = Promise.resolve();
  const handle = startKernelFollower(
    { transport, facts, clock },
    { runId: 'kmsg-follow', source: read.source, marker: false, privileged: read.sudo || facts.root },
    (ev) => {
      if (ev.kind === 'warning') return err(`oomlab: ${terminalSafe(ev.message)}\n`);
      if (ev.kind !== 'oom-kill') return;
      const r = ev.report.time.uptimeSec === null ? ev.report : { ...ev.report, time: { ...ev.report.time, wall: wallOf(read.bootEpochMs, ev.report.time.uptimeSec) } };
      const owner = resolve(r);
      queue = queue.then(async () => {
        const ow = await owner;
        n++;
        out(o.json ? `${terminalSafeJson(jsonOf(r, ow))}\n` : `${withOwner(block(r, n, n).replace(`OOM kill ${n}/${n}`, `OOM kill ${n}`), ow)}\n`);
      });
    },
  );
  await handle.ready;
  err(`${terminalSafe(via)}; following (Ctrl-C to stop)\n`);
  const stop = () => void handle.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  transport.onDisconnect(() => stop());
  try {
    await handle.exited;
    await queue;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
