// `oomlab cleanup --host H`: removes every oomlab-* cgroup (and its
// workloads) left on the host by runs that did not finish, and lists them.
import type { Command } from 'commander';
import { sweepLeftovers } from '../lab/targets/sweep';
import { CliExit, exitCodes } from './exit';
import type { SetExit } from './commands';
import { addHostOptions, openHost, type HostOptions } from './run';

export function registerCleanup(program: Command, setExit: SetExit): void {
  addHostOptions(program.command('cleanup').description('remove what earlier runs left on a host (oomlab-* cgroups, their processes and oomlab-labelled containers)'))
    .option('--json', 'print the removed names as a JSON array')
    .action(async (o: HostOptions & { json?: boolean }) => {
      const session = await openHost(o);
      try {
        if (!session.facts.memoryController) throw new CliExit(exitCodes.host, `${session.facts.host}: no memory cgroup controller, nothing of ours can be there`);
        const leftAlone: string[] = [];
        const removed = await sweepLeftovers(session.transport, session.facts, { onLeftAlone: (w) => leftAlone.push(w) });
        for (const w of leftAlone) process.stderr.write(`${session.transport.label}: ${w}\n`);
        if (o.json) process.stdout.write(JSON.stringify(removed) + '\n');
        else if (removed.length === 0) process.stdout.write(`${session.transport.label}: nothing to clean up\n`);
        else process.stdout.write(`${session.transport.label}: removed ${removed.length}:\n${removed.map((r) => `  ${r}\n`).join('')}`);
        setExit(exitCodes.ok);
      } finally {
        await session.transport.close().catch(() => {});
      }
    });
}
