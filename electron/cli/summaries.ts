// One line per subcommand, for `oomlab --help` and for the command itself.
// Kept apart from the commands so that listing them loads none of them.
export const SUMMARIES = {
  labvm: 'A disposable Debian 12 VM with cgroup v2 (qemu) to try the lab on: build | start | stop | status',
  run: 'run a scenario on a host and check its expectations (exit 0 only if all pass)',
  replay: "print a recording's timeline",
  cleanup: 'remove what earlier runs left on a host (oomlab-* cgroups, their processes and oomlab-labelled containers)',
  scenarios: 'list the bundled scenarios (run one with `oomlab run ID --host H`)',
  probe: 'connect to a host and report what the lab can do there (cgroups, tools, memory, privileges)',
  kmsg: 'find the OOM kills in a kernel log (dmesg, dmesg -T, journalctl -k, syslog, /dev/kmsg) and print them in log order',
  ui: 'the app in a browser: serve it on 127.0.0.1 and open it',
  validate: 'check scenario files (or recordings) without a host: every problem as file:line:column (exit 7 if any)',
} as const;

export type CommandName = keyof typeof SUMMARIES;

/** One example per command, shown under its --help. */
export const EXAMPLES: Record<CommandName, string> = {
  labvm: 'npx oomlab labvm build && npx oomlab labvm start',
  run: 'npx oomlab run two-workers-123mi --host root@labvm --record run.ndjson.gz',
  replay: 'npx oomlab replay run.ndjson.gz --kernel',
  cleanup: 'npx oomlab cleanup --host root@labvm',
  scenarios: 'npx oomlab scenarios --json',
  probe: 'npx oomlab probe --host root@labvm --json',
  kmsg: 'npx oomlab kmsg /var/log/kern.log --json',
  ui: 'npx oomlab ui',
  validate: 'npx oomlab validate scenarios/*.yaml',
};
