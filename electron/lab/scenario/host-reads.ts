// What the `read`, `inspect` and `trace` actions (and step requirements) read
// on the host. Reading only: nothing here writes a sysctl or a cgroup file.
// Each reader is one remote command built with quote.ts plus a pure parser
// (tested on real output in test/unit/scenario/host-reads.test.ts).

import type { HostReading } from '../events';
import type { HostFacts } from '../host/facts';
import type { OomKillReport } from '../kernel/report';
import { asRoot, sh } from '../ssh/quote';
import type { Transport } from '../ssh/transport';
import { checkMount, RECORD_DIR, TARGET_PREFIX } from '../targets/names';

type Overcommit = Extract<HostReading, { what: 'overcommit' }>;
type Inspect = Extract<HostReading, { what: 'inspect' }>;
type Trace = Extract<HostReading, { what: 'trace' }>;

async function run(transport: Transport, facts: HostFacts, script: string, what: string): Promise<string> {
  const r = await transport.exec(asRoot(script, facts.root), { timeoutMs: 15_000 });
  if (r.code !== 0) throw new Error(`${transport.label}: ${what}: ${r.stderr.trim() || r.error || `exit ${r.code ?? r.signal}`}`);
  return r.stdout;
}

// ---------------------------------------------------------------- overcommit

export const OVERCOMMIT_SCRIPT = `printf 'overcommit_memory %s\\n' "$(cat /proc/sys/vm/overcommit_memory 2>/dev/null)"
printf 'overcommit_ratio %s\\n' "$(cat /proc/sys/vm/overcommit_ratio 2>/dev/null)"
grep -E '^(MemTotal|SwapTotal|CommitLimit|Committed_AS):' /proc/meminfo`;

export function parseOvercommit(out: string): Overcommit {
  const num = (re: RegExp) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : null;
  };
  return {
    what: 'overcommit',
    overcommitMemory: num(/^overcommit_memory (\d+)$/m),
    overcommitRatio: num(/^overcommit_ratio (\d+)$/m),
    commitLimitKb: num(/^CommitLimit:\s+(\d+) kB$/m),
    committedAsKb: num(/^Committed_AS:\s+(\d+) kB$/m),
    memTotalKb: num(/^MemTotal:\s+(\d+) kB$/m),
    swapTotalKb: num(/^SwapTotal:\s+(\d+) kB$/m),
  };
}

export async function readOvercommit(transport: Transport, facts: HostFacts): Promise<Overcommit> {
  return parseOvercommit(await run(transport, facts, OVERCOMMIT_SCRIPT, 'reading /proc/sys/vm and /proc/meminfo'));
}

const MODES: Record<number, string> = { 0: 'heuristic', 1: 'always', 2: 'strict: CommitLimit enforced' };

export function describeOvercommit(r: Overcommit, mib: (kb: number | null) => string): string {
  const mode = r.overcommitMemory === null ? 'unknown' : `${r.overcommitMemory} (${MODES[r.overcommitMemory] ?? '?'})`;
  return `vm.overcommit_memory = ${mode}, overcommit_ratio ${r.overcommitRatio ?? '?'}; CommitLimit ${mib(r.commitLimitKb)}, Committed_AS ${mib(r.committedAsKb)}, MemTotal ${mib(r.memTotalKb)}, SwapTotal ${mib(r.swapTotalKb)}`;
}

// ---------------------------------------------------------------- inspect

/** Every process of the leaf (and the extra pids), with VmSize, VmRSS and the command line. */
export function inspectScript(leafDir: string, extraPids: number[]): string {
  return sh`D=${leafDir}
for p in $(cat "$D/cgroup.procs" 2>/dev/null) ${extraPids.map(String)}; do
  [ -r /proc/$p/status ] || continue
  printf '@proc %s\\n' "$p"
  grep -E '^(Name|VmSize|VmRSS):' /proc/$p/status 2>/dev/null
  printf '@cmd '; tr '\\0\\n' '  ' < /proc/$p/cmdline 2>/dev/null | head -c 512; echo
done`;
}

export function parseInspect(out: string, workload: string): Inspect {
  const processes: Inspect['processes'] = [];
  let cur: Inspect['processes'][number] | null = null;
  for (const line of out.split('\n')) {
    const p = /^@proc (\d+)$/.exec(line);
    if (p) {
      const pid = Number(p[1]);
      // A pid listed twice (leaf and extra) is one process.
      cur = processes.find((x) => x.pid === pid) ? null : { pid, comm: '', vmSizeKb: null, vmRssKb: null, cmdline: '' };
      if (cur) processes.push(cur);
      continue;
    }
    if (!cur) continue;
    let m: RegExpExecArray | null;
    if ((m = /^Name:\s+(.*)$/.exec(line))) cur.comm = m[1]!;
    else if ((m = /^VmSize:\s+(\d+) kB$/.exec(line))) cur.vmSizeKb = Number(m[1]);
    else if ((m = /^VmRSS:\s+(\d+) kB$/.exec(line))) cur.vmRssKb = Number(m[1]);
    else if (line.startsWith('@cmd ')) cur.cmdline = line.slice(5).trimEnd();
  }
  return { what: 'inspect', workload, processes };
}

export async function inspectWorkload(transport: Transport, facts: HostFacts, workload: string, leafDir: string, extraPids: number[]): Promise<Inspect> {
  return parseInspect(await run(transport, facts, inspectScript(leafDir, extraPids), `inspecting ${workload}`), workload);
}

// ---------------------------------------------------------------- trace

const CGROUP_PATH = /^\/[A-Za-z0-9_.:@/-]*$/;

/** The cgroupfs directory a report's cgroup path names, or null when the path is not a plain one. */
export function cgroupDirOf(mount: string, path: string | null): string | null {
  if (!path || !CGROUP_PATH.test(path) || path.split('/').includes('..')) return null;
  return mount === '/' ? path : `${mount}${path === '/' ? '' : path}`;
}

/** The lab's owner record for the oomlab-<runId> component of a cgroup path. */
export function ownerRecordOf(path: string | null): string | null {
  const name = path?.split('/').find((c) => c.startsWith(TARGET_PREFIX) && /^[A-Za-z0-9][A-Za-z0-9_.-]{0,70}$/.test(c));
  return name ? `${RECORD_DIR}/${name}.json` : null;
}

export function traceScript(dir: string | null, record: string | null): string {
  return sh`D=${dir ?? ''}; R=${record ?? ''}
if [ -n "$D" ] && [ -d "$D" ]; then
  echo '@dir yes'
  for p in $(cat "$D/cgroup.procs" 2>/dev/null); do
    c=$(cat /proc/$p/comm 2>/dev/null) || continue
    printf '@member %s\\t%s\\t' "$p" "$c"; tr '\\0\\n\\t' '   ' < /proc/$p/cmdline 2>/dev/null | head -c 512; echo
  done
else echo '@dir no'; fi
if [ -n "$R" ] && [ -f "$R" ]; then printf '@record '; head -c 4096 "$R"; echo; fi`;
}

export function parseTrace(out: string, report: OomKillReport, dir: string | null, workload: string | null): Trace {
  const members: Trace['members'] = [];
  let ownerRunId: string | null = null;
  for (const line of out.split('\n')) {
    const m = /^@member (\d+)\t([^\t]*)\t(.*)$/.exec(line);
    if (m) members.push({ pid: Number(m[1]), comm: m[2]!, cmdline: m[3]!.trimEnd() });
    else if (line.startsWith('@record ')) {
      try {
        const rec = JSON.parse(line.slice(8)) as { marker?: unknown; runId?: unknown };
        if (rec.marker === 'oomlab' && typeof rec.runId === 'string') ownerRunId = rec.runId;
      } catch {
        /* not a record of ours */
      }
    }
  }
  return {
    what: 'trace',
    pid: report.pid,
    comm: report.comm,
    taskMemcg: report.taskMemcg,
    memcg: report.memcg,
    dir,
    dirExists: /^@dir yes$/m.test(out),
    ownerRunId,
    workload,
    members,
  };
}

export async function traceKill(transport: Transport, facts: HostFacts, report: OomKillReport, workloadOf: (path: string | null) => string | null): Promise<Trace> {
  const path = report.taskMemcg ?? (report.memcg !== 'unknown' ? report.memcg : null);
  const dir = cgroupDirOf(checkMount(facts.memoryMount, transport.label), path);
  const out = await run(transport, facts, traceScript(dir, ownerRecordOf(path)), `tracing pid ${report.pid}`);
  return parseTrace(out, report, dir, workloadOf(path));
}

const short = (cmd: string): string => (cmd.length > 72 ? `${cmd.slice(0, 71)}…` : cmd);

export function describeTrace(r: Trace): string {
  const path = r.taskMemcg ?? r.memcg;
  const members = r.members.length ? r.members.map((m) => `${m.pid} ${short(m.cmdline || m.comm)}`).join('; ') : 'none left';
  return `trace pid ${r.pid} (${r.comm}): task_memcg ${path} → ${r.dir ?? '(not a cgroup path)'}${r.dirExists ? '' : ' (gone)'} → owner record: ${r.ownerRunId ? `run ${r.ownerRunId}` : 'none'} → workload ${r.workload ?? 'unknown'} → processes in it now: ${members}`;
}

// ---------------------------------------------------------------- capabilities

/** Whether root on the host may lower oom_score_adj (CAP_SYS_RESOURCE): tried on a throwaway subshell. */
export async function canLowerOomScoreAdj(transport: Transport, facts: HostFacts): Promise<boolean> {
  const out = await run(transport, facts, `if ( printf '%s\\n' -1000 > /proc/self/oom_score_adj ) 2>/dev/null; then echo yes; else echo no; fi`, 'checking whether oom_score_adj can be lowered');
  return out.trim() === 'yes';
}

/** The memory controller's cgroup version on the host. */
export function hostCgroupVersion(facts: HostFacts): 'v1' | 'v2' {
  if (facts.cgroup === 'v1' || facts.cgroup === 'v2') return facts.cgroup;
  return facts.memoryMount && /\/memory\/?$/.test(facts.memoryMount) ? 'v1' : 'v2';
}
