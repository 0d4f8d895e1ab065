// `oomlab probe --host H [--json]`: what the lab can do on a host: kernel,
// cgroup mode and memory controller, whether a memory cgroup can be created,
// tools, memory, privileges, kernel log access.

import type { Command } from 'commander';
import type { HostFacts } from '../lab/host/facts';
import { openHost } from './connect';
import { exitCodes } from './exit';
import { addHostOptions, type HostFlags, type SetExit } from './options';
import { terminalSafe, terminalSafeJson } from './terminal-text';
import { SUMMARIES } from './summaries';

export function registerProbe(program: Command, setExit: SetExit): void {
  addHostOptions(
    program
      .command('probe')
      .description(SUMMARIES.probe)
      .option('--json', 'print the facts as one JSON object'),
  ).action(async (opts: HostFlags & { json?: boolean }) => {
    const { transport, facts } = await openHost(opts);
    await transport.close();
    process.stdout.write(opts.json ? `${terminalSafeJson(facts, 2)}\n` : formatFacts(facts));
    setExit(exitCodes.ok);
  });
}

const gib = (n: number) => (n >= 1 << 30 ? `${(n / 2 ** 30).toFixed(1)} GiB` : `${Math.round(n / 2 ** 20)} MiB`);

/** " 1.0.7" out of "stress-ng, version 1.0.7 (gcc ...)"; the JSON keeps the whole line. */
function shortVersion(v: string): string {
  const m = /\bv?(\d+(?:\.\d+)+[^\s,()]*)/.exec(v);
  return m ? ` ${m[1]}` : '';
}

/** The human-readable report; every value the host reported is made terminal-safe. */
export function formatFacts(f: HostFacts): string {
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const present = Object.entries(f.tools).filter(([, v]) => v !== false);
  const missing = Object.entries(f.tools).filter(([, v]) => v === false).map(([k]) => k);
  const rows: Array<[string, string]> = [
    ['host', f.host],
    ['system', `${f.distro ?? 'unknown distribution'}, kernel ${f.kernel}, ${f.arch}`],
    ['cgroup', `${f.cgroup}${f.unifiedMount ? ` (cgroup2 also at ${f.unifiedMount})` : ''}`],
    ['memory controller', f.memoryMount ? `${yes(f.memoryController)}, at ${f.memoryMount}${f.cgroup === 'v1' ? `, memsw ${f.memswAccounting ? 'on' : 'off'}` : ''}` : 'not mounted'],
    ['can create cgroup', yes(f.canCreateCgroup)],
    ['privileges', f.root ? 'root' : f.sudo ? `${f.user ?? 'user'} with sudo -n` : `${f.user ?? 'user'}, no sudo -n`],
    ['memory', `total ${gib(f.memTotalBytes)}, available ${gib(f.memAvailableBytes)}, swap ${f.swapTotalBytes ? gib(f.swapTotalBytes) : 'off'}`],
    ['overcommit', `vm.overcommit_memory=${f.overcommitMemory}, page size ${f.pageSize} B`],
    ['kernel log', f.kernelLog.length ? f.kernelLog.join(', ') : 'not readable'],
    ['tools', present.map(([k, v]) => `${k}${typeof v === 'string' ? shortVersion(v) : ''}`).join(', ') || 'none'],
    ['missing tools', missing.join(', ') || 'none'],
    ['docker', f.toolPaths?.docker ? (f.dockerDaemon ? `daemon ${f.dockerDaemon}` : 'installed, daemon not answering') : 'not installed'],
    ['kubernetes', f.kubectl ? `${f.kubectl}${f.kubeconfig ? `, kubeconfig ${f.kubeconfig}` : ', no kubeconfig'}` : 'no kubectl'],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  let out = rows.map(([k, v]) => `${k.padEnd(w)}  ${terminalSafe(v)}`).join('\n') + '\n';
  if (f.problems.length) out += `\nproblems:\n${f.problems.map((p) => `  - ${terminalSafe(p)}`).join('\n')}\n`;
  return out;
}
