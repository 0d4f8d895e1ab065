// One OOM kill as the kernel reported it. Fields are null where that kernel
// version (or a truncated log) did not print them.

export interface OomTask {
  pid: number;
  uid: number | null;
  tgid: number | null;
  totalVmPages: number | null;
  rssPages: number | null;
  rssAnonPages: number | null;
  rssFilePages: number | null;
  rssShmemPages: number | null;
  pgtablesBytes: number | null;
  swapentsPages: number | null;
  oomScoreAdj: number;
  name: string;
  /** Older tables print page-table pages instead of pgtables_bytes (3.x-4.14). */
  nrPtes?: number | null;
  nrPmds?: number | null;
  /** 2.6.32-era tables print the legacy oom_adj (-17..15); oomScoreAdj is then its scaled value. */
  oomAdj?: number | null;
}

export interface OomTime {
  /** Seconds since boot from a `[  123.456789]` prefix or /dev/kmsg. */
  uptimeSec: number | null;
  /** Wall time as printed (dmesg -T, syslog, journald, ISO), normalised to ISO 8601 when the year is known. */
  wall: string | null;
}

export interface OomKillReport {
  /** The killed pid. */
  pid: number;
  comm: string;
  /** The pid the kernel selected, when a child was sacrificed instead (older kernels). */
  selectedPid: number | null;
  selectedScore: number | null;
  global: boolean;
  /** "CONSTRAINT_MEMCG", "CONSTRAINT_NONE", ... when printed. */
  constraint: string | null;
  /** The cgroup whose limit was hit, "global", or "unknown" when the surviving lines do not say (header rate-limited or cut). */
  memcg: string;
  /** The victim's own cgroup, when printed. */
  taskMemcg: string | null;
  totalVmKb: number | null;
  anonRssKb: number | null;
  fileRssKb: number | null;
  shmemRssKb: number | null;
  uid: number | null;
  pgtablesKb: number | null;
  oomScoreAdj: number | null;
  invoker: { comm: string; pid: number | null; gfpMask: string | null; order: number | null; oomScoreAdj: number | null } | null;
  /** From "memory: usage 126000kB, limit 125952kB, failcnt 123". */
  memcgUsage: { usageKb: number; limitKb: number; failcnt: number } | null;
  /** "Memory cgroup stats for ..." block, key -> value as printed (bytes on new kernels, kB/pages on old). */
  memcgStats: Record<string, number> | null;
  tasks: OomTask[];
  /** oom_reaper's line, when it appeared. */
  reaped: { pid: number; comm: string; anonRssKb: number | null; fileRssKb: number | null; shmemRssKb: number | null } | null;
  /** Killed together with others under memory.oom.group. */
  groupKill: boolean;
  containerId: string | null;
  podUid: string | null;
  qosClass: 'guaranteed' | 'burstable' | 'besteffort' | null;
  time: OomTime;
  /** The raw lines this report was built from, prefixes stripped. */
  lines: string[];
  /** 1-based line of the input where the kill line (or, if it is missing, the report's first line) was. */
  sourceLine?: number;
  /** The kill line itself never arrived (log cut short, or the next report began): victim taken from the selection or oom-kill summary line. */
  truncated?: boolean;
  /** Which line proved the kill: the "Killed process" line, its oom_reaper line (vendor kernels that print no kill line), or only the oom-kill summary. */
  seenIn?: 'kill-line' | 'oom_reaper' | 'summary';
  /** No "invoked oom-killer" header belonged to this kill (rate-limited away or cut off). */
  headerMissing?: boolean;
  /** "Memory cgroup stats for" blocks, by cgroup path, in print order (the first is the OOM memcg). */
  memcgStatsByCgroup?: Record<string, Record<string, number>>;
  /** Every "<name>: usage N kB, limit N kB, failcnt N" line (memory, memory+swap, kmem, swap). */
  memcgCounters?: Array<{ name: string; usageKb: number; limitKb: number; failcnt: number }>;
  /** Container runtime recognised in the cgroup path (docker, containerd, crio, podman). */
  runtime?: string | null;
  /** Whether the limit hit was a memory cgroup's or the machine's, or the surviving lines do not say. */
  scope?: 'memcg' | 'global' | 'unknown';
  /** Where memcg came from: the oom-kill summary, the "Task in ... limit of" line, or (a best guess when neither survived) the first "Memory cgroup stats for" block. */
  memcgSource?: 'summary' | 'task-in' | 'stats' | null;
  /** cpuset= of the summary or of the invoker's cpuset line, as printed. */
  cpuset?: string | null;
}

/** An OOM report whose kill line and victim never appeared (cut short, or the OOM ended without a kill). */
export type OomIncompleteReport = Omit<OomKillReport, 'pid' | 'comm'> & { pid: null; comm: null };
