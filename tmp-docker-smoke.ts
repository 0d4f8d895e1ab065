import { LocalTransport } from './electron/lab/ssh/local';
import { probeLite } from './electron/lab/scenario/probe-lite';
import { createTarget } from './electron/lab/targets/target';
import { startWorkload } from './electron/lab/workloads/spec';
import { startSampler } from './electron/lab/sampler/sampler';
import { measureHostClock } from './electron/lab/sampler/clock';
const mode = (process.argv[2] ?? 'main') as 'main' | 'exec';
const t = new LocalTransport();
const facts = await probeLite(t);
const clock = await measureHostClock(t);
const ctx = { transport: t, facts, clock };
const target = createTarget(t, facts, { runId: 'smoke-' + mode, limitBytes: 64 * 1024 * 1024, appVersion: 'dev', docker: { mode } });
const ev: any[] = [];
const emit = (e: any) => { ev.push(e); if (e.kind !== 'sample' && e.kind !== 'processes') console.log(JSON.stringify(e).slice(0, 300)); };
try {
  await target.create();
  console.log('created', target.path, target.warnings);
  const s = startSampler(ctx, target, { intervalMs: 100 }, emit);
  const h = startWorkload(ctx, target, 'alloc', { kind: 'ramp', mbPerSec: 100, stepMb: 4, timeCapSec: 30 }, emit);
  await h.started;
  const x = await h.exited;
  console.log('exit', x);
  await s.stop();
  const samples = ev.filter((e) => e.kind === 'sample');
  console.log('samples', samples.length, 'max usage', Math.max(...samples.map((s) => s.usageBytes)));
} finally {
  await target.destroy();
  await t.close();
}
