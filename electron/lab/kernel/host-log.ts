// A host's kernel log as it is now, read without changing anything there:
// /dev/kmsg (a non-blocking read of the ring), `dmesg`, or `journalctl -k`,
// the first that works, first as the login user, then through `sudo -n`.
// Kernel stamps count seconds since boot; the host's epoch and /proc/uptime,
// read together, turn them into wall time.

import { LabError } from '../errors';
import { asRoot } from '../ssh/quote';
import { isSudoRefusal } from '../ssh/sudo';
import type { Transport } from '../ssh/transport';
import { normaliseKernelLine, type KernelLogSource } from './follower';
import { scanKernelLog } from './kernel-log';
import type { OomIncompleteReport, OomKillReport } from './report';

export type AnyReport = OomKillReport | OomIncompleteReport;

/** No source could be read: one line naming what each attempt said. */
export class KernelLogUnreadableError extends LabError {
  constructor(host: string, attempts: string[], sudoRefused: boolean) {
    super(sudoRefused ? 'sudo' : 'host', `${host}: cannot read the kernel log: ${attempts.join('; ')}`, {
      hint: sudoRefused ? 'connect as root, or allow this user passwordless sudo (`sudo -n`), or set kernel.dmesg_restrict=0 on the host' : 'see `oomlab probe --host ...` for what the host allows',
    });
  }
}

export interface HostLogRead {
  source: KernelLogSource;
  /** Read through `sudo -n`. */
  sudo: boolean;
  /** Host epoch ms at boot (epoch now − /proc/uptime). */
  bootEpochMs: number;
  /** Host uptime (s) when the log was read. */
  uptimeSec: number;
  /** The log as dmesg prints it: "[ uptime] text" lines. */
  text: string;
}

// LC_ALL=C: the shapes the parser knows. dd reads one kmsg record per read and stops at EAGAIN (the ring's end).
const READERS: Record<KernelLogSource, string> = {
  kmsg: 'LC_ALL=C dd if=/dev/kmsg iflag=nonblock bs=65536 status=none',
  dmesg: 'LC_ALL=C dmesg',
  journalctl: 'LC_ALL=C journalctl -k -q -o short-monotonic --no-pager',
};
const LABEL: Record<KernelLogSource, string> = { kmsg: '/dev/kmsg', dmesg: 'dmesg', journalctl: 'journalctl -k' };

export function sourceLabel(source: KernelLogSource, sudo: boolean): string {
  return `${LABEL[source]}${sudo ? ' (through sudo -n)' : ''}`;
}

/** The reader's output turned into dmesg-style lines, or why it is not a log. */
function accept(source: KernelLogSource, code: number | null, stdout: string, stderr: string): { text: string } | { why: string } {
  const firstErr = stderr.split('\n').find((l) => l.trim())?.trim().replace(/^(?:dmesg|journalctl): /, '');
  if (source === 'kmsg') {
    // dd ends with EAGAIN at the end of the ring: that is success when records came out.
    if (code !== 0 && !/Resource temporarily unavailable/.test(stderr)) return { why: firstErr ?? `exit ${code}` };
    const lines = stdout.split('\n').flatMap((l) => normaliseKernelLine(l, 'kmsg').map((r) => r.raw));
    return lines.length ? { text: lines.join('\n') } : { why: firstErr ?? 'no records' };
  }
  if (code !== 0) return { why: firstErr ?? `exit ${code}` };
  // journalctl without journal access prints nothing but a note on stderr and exits 0.
  if (!/^\s*\[\s*\d+\.\d+\]/m.test(stdout)) return { why: firstErr ?? 'no kernel lines' };
  return { text: stdout };
}

/** Read the kernel log, trying each source as the user, then through sudo -n (unless root). */
export async function readHostKernelLog(t: Transport, opts: { root: boolean; sources?: KernelLogSource[] }): Promise<HostLogRead> {
  const clock = await t.exec(`if command -v bash >/dev/null 2>&1; then bash -c 'echo $EPOCHREALTIME'; else date +%s.%N; fi; cat /proc/uptime`, { timeoutMs: 15_000 });
  const [epochLine, upLine] = clock.stdout.trim().split('\n');
  const epochMs = Number(epochLine) * 1000;
  const uptimeSec = Number(upLine?.split(' ')[0]);
  if (clock.code !== 0 || !Number.isFinite(epochMs) || !Number.isFinite(uptimeSec)) throw new LabError('host', `${t.label}: cannot read the host clock and /proc/uptime: ${clock.stderr.trim() || `exit ${clock.code}`}`);

  const attempts: string[] = [];
  let sudoRefused = false;
  for (const source of opts.sources ?? (['kmsg', 'dmesg', 'journalctl'] as const)) {
    for (const sudo of opts.root ? [false] : [false, true]) {
      if (sudo && sudoRefused) continue;
      const r = await t.exec(asRoot(READERS[source], !sudo), { timeoutMs: 60_000 });
      if (sudo && isSudoRefusal(r)) {
        sudoRefused = true;
        attempts.push(`sudo -n refused (${r.stderr.trim().split('\n')[0]})`);
        continue;
      }
      const got = accept(source, r.code, r.stdout, r.stderr);
      if ('text' in got) return { source, sudo, bootEpochMs: epochMs - uptimeSec * 1000, uptimeSec, text: got.text };
      attempts.push(`${sourceLabel(source, sudo)}: ${got.why}`);
    }
  }
  throw new KernelLogUnreadableError(t.label, attempts, sudoRefused);
}

/** "90s", "10m", "2h", "3d" -> seconds; null when it is not a duration. */
export function parseSince(v: string): number | null {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|min|h|d)?$/.exec(v.trim());
  if (!m) return null;
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  return n * (unit === 'd' ? 86400 : unit === 'h' ? 3600 : unit === 'm' || unit === 'min' ? 60 : 1);
}

/** Wall time of a kernel stamp on this boot, ISO 8601 (UTC). */
export function wallOf(bootEpochMs: number, uptimeSec: number): string {
  return new Date(Math.round(bootEpochMs + uptimeSec * 1000)).toISOString();
}

/** The reports of a host log, newest `sinceSec` only, each with its wall time. */
export function killsOfHostLog(read: HostLogRead, sinceSec: number | null): AnyReport[] {
  const from = sinceSec === null ? -Infinity : read.uptimeSec - sinceSec;
  return scanKernelLog(read.text)
    .reports.filter((r) => r.time.uptimeSec === null || r.time.uptimeSec >= from)
    .map((r) => (r.time.uptimeSec === null ? r : { ...r, time: { ...r.time, wall: wallOf(read.bootEpochMs, r.time.uptimeSec) } }));
}
