// `npx tsx bench/hostile-input.ts`: how long the parsers take on hostile input,
// which must stay linear. Kernel log: each 280 KB line of
// test/unit/kernel/hostile-lines.ts (each once made an old pattern quadratic:
// seconds to minutes), through classifyLine and the whole-log scan.
// Prints human figures, then one JSON line. A benchmark, not a test.

import { performance } from 'node:perf_hooks';
import { classifyLine } from '../electron/lab/kernel/oom-lines';
import { scanKernelLog } from '../electron/lab/kernel/kernel-log';
import { HOSTILE_BYTES, hostileLines } from '../test/unit/kernel/hostile-lines';

function ms(f: () => unknown): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

const kernel: Record<string, { classifyMs: number; scanMs: number }> = {};
console.log(`kernel log, ${HOSTILE_BYTES / 1024} KB lines:`);
for (const h of hostileLines) {
  const classifyMs = ms(() => classifyLine(h.line));
  const scanMs = ms(() => scanKernelLog(`[  472.033111] ${h.line}\n`));
  kernel[h.name] = { classifyMs: Number(classifyMs.toFixed(1)), scanMs: Number(scanMs.toFixed(1)) };
  console.log(`  ${h.name.padEnd(44)} classify ${classifyMs.toFixed(1).padStart(7)} ms   whole-log scan ${scanMs.toFixed(1).padStart(7)} ms`);
}
console.log(JSON.stringify({ bench: 'hostile-input', lineBytes: HOSTILE_BYTES, kernel }));
