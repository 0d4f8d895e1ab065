// One clock per run: the host's. Every event's t is milliseconds since the run
// started, measured on the host's wall clock (bash $EPOCHREALTIME), so a sample
// line, a workload exit and a kernel OOM report line up even when the engine's
// own clock differs from the host's.

import type { Transport } from '../ssh/transport';

export interface HostClock {
  /** Host epoch milliseconds at t = 0. */
  readonly startEpochMs: number;
  /** Host epoch ms -> run time t. */
  toRunTime(hostEpochMs: number): number;
  /** The engine's best estimate of the host's epoch ms right now (local clock + measured offset). */
  hostNow(): number;
  /** Run time now, for events that carry no host stamp of their own. */
  now(): number;
  /** Half the round trip of the measurement: the uncertainty of hostNow(). */
  readonly uncertaintyMs: number;
}

/** Parse "1712345678.123456" (bash $EPOCHREALTIME, or date +%s.%N) into epoch ms. */
export function parseEpochSeconds(text: string): number {
  const m = /^(\d+)(?:[.,](\d+))?$/.exec(text.trim());
  if (!m) throw new Error(`not an epoch time: ${JSON.stringify(text.slice(0, 40))}`);
  const frac = (m[2] ?? '').padEnd(6, '0').slice(0, 6);
  return Number(m[1]) * 1000 + Number(frac) / 1000;
}

export function makeHostClock(startEpochMs: number, offsetMs: number, uncertaintyMs: number, localNow: () => number = Date.now): HostClock {
  const hostNow = () => localNow() + offsetMs;
  return {
    startEpochMs,
    uncertaintyMs,
    toRunTime: (hostEpochMs) => Math.round((hostEpochMs - startEpochMs) * 1000) / 1000,
    hostNow,
    now: () => Math.round((hostNow() - startEpochMs) * 1000) / 1000,
  };
}

/**
 * Read the host's clock (best of 3 round trips) and set t = 0 to now.
 * bash's $EPOCHREALTIME is a builtin (µs); without bash, `date +%s.%N`.
 */
export async function measureHostClock(transport: Transport): Promise<HostClock> {
  const cmd = `if command -v bash >/dev/null 2>&1; then bash -c 'echo $EPOCHREALTIME'; else date +%s.%N; fi`;
  let best: { offset: number; rtt: number; host: number } | null = null;
  for (let i = 0; i < 3; i++) {
    const t0 = Date.now();
    const r = await transport.exec(cmd, { timeoutMs: 15_000 });
    const t1 = Date.now();
    if (r.code !== 0) throw new Error(`${transport.label}: cannot read the host clock: ${r.stderr.trim() || `exit ${r.code}`}`);
    const host = parseEpochSeconds(r.stdout);
    const rtt = t1 - t0;
    const offset = host - (t0 + rtt / 2);
    if (!best || rtt < best.rtt) best = { offset, rtt, host };
  }
  const b = best!;
  return makeHostClock(Date.now() + b.offset, b.offset, b.rtt / 2);
}
