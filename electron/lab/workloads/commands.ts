// Workload specs -> the argv the wrapper execs. Pure: validated numbers in,
// argv out; the wrapper quotes every element.

import type { WorkloadSpec } from './spec';
import { LabError } from '../errors';

export type RampImpl = 'perl' | 'python3' | 'sh';

export interface BuiltWorkload {
  argv: string[];
  /** argv for events and printing: inline scripts shown by name, not in full. */
  display: string[];
  /** A file the wrapper removes when the workload ends or is killed. */
  cleanupFile: string | null;
  /** Said in workload-start (which fallback, caveats). */
  note: string | null;
}

export class WorkloadSpecError extends LabError {
  constructor(message: string) {
    super('input', message);
    this.name = 'WorkloadSpecError';
  }
}

function int(where: string, field: string, v: unknown, min: number, max: number, optional = false): void {
  if (v === undefined && optional) return;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw new WorkloadSpecError(`${where}: ${field} must be a whole number in ${min}..${max}, got ${JSON.stringify(v)}`);
}

function pos(where: string, field: string, v: unknown, max: number, optional = false): void {
  if (v === undefined && optional) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > max) throw new WorkloadSpecError(`${where}: ${field} must be a number in (0, ${max}], got ${JSON.stringify(v)}`);
}

/** Throws WorkloadSpecError naming `where` and the field. */
export function validateWorkloadSpec(spec: WorkloadSpec, where: string): WorkloadSpec {
  if (!spec || typeof spec !== 'object') throw new WorkloadSpecError(`${where}: workload must be an object`);
  int(where, 'timeCapSec', spec.timeCapSec, 1, 7 * 24 * 3600);
  int(where, 'oomScoreAdj', spec.oomScoreAdj, -1000, 1000, true);
  switch (spec.kind) {
    case 'stress':
    case 'stress-ng':
      int(where, 'vm', spec.vm, 1, 256);
      int(where, 'vmBytes', spec.vmBytes, 4096, 2 ** 50);
      int(where, 'vmHang', spec.vmHang, 0, 86400, true);
      if (spec.kind === 'stress') int(where, 'vmStride', spec.vmStride, 1, 2 ** 50, true);
      if (spec.vmKeep !== undefined && typeof spec.vmKeep !== 'boolean') throw new WorkloadSpecError(`${where}: vmKeep must be true or false`);
      if (spec.kind === 'stress-ng' && spec.oomable !== undefined && typeof spec.oomable !== 'boolean') throw new WorkloadSpecError(`${where}: oomable must be true or false`);
      break;
    case 'ramp':
      pos(where, 'mbPerSec', spec.mbPerSec, 100_000);
      int(where, 'stepMb', spec.stepMb, 1, 65536);
      int(where, 'maxMb', spec.maxMb, 1, 2 ** 30, true);
      break;
    case 'cache-writer':
      pos(where, 'mbPerSec', spec.mbPerSec, 100_000);
      int(where, 'totalMb', spec.totalMb, 1, 2 ** 30);
      int(where, 'holdSec', spec.holdSec, 0, 7 * 24 * 3600, true);
      break;
    default:
      throw new WorkloadSpecError(`${where}: unknown workload kind ${JSON.stringify((spec as { kind?: unknown }).kind)} (stress, stress-ng, ramp, cache-writer)`);
  }
  return spec;
}

// A steady allocator: every stepMb of touched memory is due at t0 + mb/rate, so
// the rate holds however long an allocation takes; past maxMb it holds what it has.
// More than a step late (frozen by a pause, starved) moves the schedule instead of
// catching up in one burst that would jump past the limit between two samples.
const RAMP_PERL = `use strict; use Time::HiRes qw(time sleep); $| = 1;
my ($rate, $step, $max) = @ARGV; my @keep; my $mb = 0; my $t0 = time;
while (1) {
  if (!$max || $mb < $max) { push @keep, "Z" x ($step * 1048576); $mb += $step; print "ramp $mb MiB\\n"; my $d = $t0 + $mb / $rate - time; if ($d > 0) { sleep($d) } elsif ($d < -$step / $rate) { $t0 -= $d } }
  else { sleep(1); }
}`;

const RAMP_PY = `import sys, time
rate, step, mx = float(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
keep = []; mb = 0; t0 = time.time()
while True:
    if not mx or mb < mx:
        keep.append(b"Z" * (step << 20)); mb += step; print("ramp %d MiB" % mb, flush=True)
        d = t0 + mb / rate - time.time()
        if d > 0: time.sleep(d)
        elif d < -step / rate: t0 -= d
    else:
        time.sleep(1)`;

// No perl or python: shell variables are malloc'd copies, so each assignment of a
// 1 MiB string grows the heap by 1 MiB of touched memory. Pace: sleep per step.
const RAMP_SH = `rate=$1 step=$2 max=$3 per=$4
c=Z; i=0; while [ $i -lt 20 ]; do c=$c$c; i=$((i+1)); done
mb=0; k=0
while :; do
  if [ "$max" -eq 0 ] || [ $mb -lt "$max" ]; then
    j=0; while [ $j -lt "$step" ]; do eval "m$k=\\$c"; k=$((k+1)); j=$((j+1)); done
    mb=$((mb+step)); echo "ramp $mb MiB"; sleep "$per"
  else sleep 1; fi
done`;

// Writes with dd in chunks at the given rate from inside the cgroup, so the page
// cache is charged to it; holds the file, then removes it.
const CACHE_WRITER = `f=$1 total=$2 chunk=$3 per=$4 hold=$5
i=0
while [ $i -lt "$total" ]; do
  n=$chunk; [ $((i+n)) -gt "$total" ] && n=$((total-i))
  dd if=/dev/zero of="$f" bs=1048576 count=$n seek=$i conv=notrunc 2>/dev/null || { echo "dd failed writing $f" >&2; exit 1; }
  i=$((i+n)); echo "wrote $i MiB"
  sleep "$per"
done
sleep "$hold"
rm -f "$f"`;

const secs = (s: number): string => s.toFixed(3);

export function buildWorkload(spec: WorkloadSpec, ctx: { rampImpl: RampImpl; scratchDir: string; workload: string }): BuiltWorkload {
  switch (spec.kind) {
    case 'stress': {
      const argv = ['stress', '--vm', String(spec.vm), '--vm-bytes', `${spec.vmBytes}B`];
      if (spec.vmKeep) argv.push('--vm-keep');
      if (spec.vmHang !== undefined) argv.push('--vm-hang', String(spec.vmHang));
      if (spec.vmStride !== undefined) argv.push('--vm-stride', String(spec.vmStride));
      return { argv, display: argv, cleanupFile: null, note: null };
    }
    case 'stress-ng': {
      const argv = ['stress-ng', '--vm', String(spec.vm), '--vm-bytes', `${spec.vmBytes}`];
      if (spec.vmKeep) argv.push('--vm-keep');
      if (spec.vmHang !== undefined) argv.push('--vm-hang', String(spec.vmHang));
      if (spec.oomable) argv.push('--oomable');
      return { argv, display: argv, cleanupFile: null, note: 'stress-ng sets its stressors\' oom_score_adj itself' };
    }
    case 'ramp': {
      const max = String(spec.maxMb ?? 0);
      const note = `ramp implemented with ${ctx.rampImpl}`;
      const args = [String(spec.mbPerSec), String(spec.stepMb), max];
      if (ctx.rampImpl === 'perl') return { argv: ['perl', '-e', RAMP_PERL, ...args], display: ['perl', '-e', '<oomlab ramp>', ...args], cleanupFile: null, note };
      if (ctx.rampImpl === 'python3') return { argv: ['python3', '-c', RAMP_PY, ...args], display: ['python3', '-c', '<oomlab ramp>', ...args], cleanupFile: null, note };
      const shArgs = [...args, secs(spec.stepMb / spec.mbPerSec)];
      return {
        argv: ['sh', '-c', RAMP_SH, 'oomlab-ramp', ...shArgs],
        display: ['sh', '-c', '<oomlab ramp>', 'oomlab-ramp', ...shArgs],
        cleanupFile: null,
        note: `${note} (no perl or python3 on the host; shell strings, paced by sleep)`,
      };
    }
    case 'cache-writer': {
      const file = `${ctx.scratchDir}/${ctx.workload}.cache`;
      const chunk = Math.max(1, Math.round(spec.mbPerSec / 10));
      const args = [file, String(spec.totalMb), String(chunk), secs(chunk / spec.mbPerSec), String(spec.holdSec ?? 0)];
      return {
        argv: ['sh', '-c', CACHE_WRITER, 'oomlab-cache-writer', ...args],
        display: ['sh', '-c', '<oomlab cache writer>', 'oomlab-cache-writer', ...args],
        cleanupFile: file,
        note: `writes ${file}`,
      };
    }
  }
}
