// `oomlab cleanup --host H`: removes every oomlab-* cgroup (and its
// workloads) left on the host by runs that did not finish, and lists them.
import type { Command } from 'commander';
import { LabError } from '../lab/errors';
import { sweepLeftovers } from '../lab/targets/sweep';
import { openHost } from './connect';
import { exitCodes } from './exit';
import { addHostOptions, type HostFlags, type SetExit } from './options';
import { terminalSafe } from './terminal-text';
import { SUMMARIES } from './summaries';

export function registerCleanup(program: Command, setExit: SetExit): void {
  addHostOptions(program.command('cleanup').description(SUMMARIES.cleanup))
    .option('--json', 'print the removed names as a JSON array')
    .action(async (o: HostFlags & { json?: boolean }) => {
      const session = await openHost(o);
      try {
        if (!session.facts.memoryController) throw new LabError('host', `${session.facts.host}: no memory cgroup controller, so nothing of ours can be there`, { hint: 'nothing to clean up on this host' });
        const leftAlone: string[] = [];
        const removed = await sweepLeftovers(session.transport, session.facts, { onLeftAlone: (w) => leftAlone.push(w) });
        for (const w of leftAlone) process.stderr.write(`${terminalSafe(session.transport.label)}: ${terminalSafe(w)}\n`);
        if (o.json) process.stdout.write(JSON.stringify(removed) + '\n');
        else if (removed.length === 0) process.stdout.write(`${session.transport.label}: nothing to clean up\n`);
        else process.stdout.write(`${session.transport.label}: removed ${removed.length}:\n${removed.map((r) => `  ${terminalSafe(r)}\n`).join('')}`);
        setExit(exitCodes.ok);
      } finally {
        await session.transport.close().catch(() => {});
      }
    });
}
