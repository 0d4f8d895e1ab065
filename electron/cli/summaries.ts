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
} as const;

export type CommandName = keyof typeof SUMMARIES;
