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
  /** The cgroup whose limit was hit, or "global". */
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
}
