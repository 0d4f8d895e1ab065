// The kernel-log follower on this machine's real kernel log: it starts at the
// run (nothing older), and its clock agrees with the host clock.
import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import type { EventOf, LabEvent } from '../../../electron/lab/events';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { startKernelFollower, type FollowerHandle, type KernelLogSource } from '../../../electron/lab/kernel/follower';
import { measureHostClock } from '../../../electron/lab/sampler/clock';
import { describeOnHost, localFacts, newRunId, until } from '../targets/local-host';

describeOnHost('kernel-log follower', ['dmesg'], () => {
  const facts = localFacts();
  let transport: LocalTransport;
  let follower: FollowerHandle | null = null;

  afterEach(async () => {
    await follower?.stop();
    follower = null;
    await transport?.close();
  });

  it.each(['kmsg', 'dmesg'] as KernelLogSource[])('%s: starts at the run and stamps lines on the host clock', async (source) => {
    transport = new LocalTransport();
    const clock = await measureHostClock(transport);
    const tag = randomBytes(4).toString('hex');
    // Written before the follower starts: must not be reported (kmsg and dmesg replay the buffer).
    writeFileSync('/dev/kmsg', `<6>oomlab-test before ${tag}\n`);
    const lines: EventOf<'kernel-line'>[] = [];
    follower = startKernelFollower({ transport, facts, clock }, { runId: newRunId('kf'), source }, (e: LabEvent) => {
      if (e.kind === 'kernel-line') lines.push(e);
    });
    await follower.ready;
    const at = clock.now();
    writeFileSync('/dev/kmsg', `<6>oomlab-test after ${tag}\n`);
    await until('our line to come back', () => lines.some((l) => l.raw.includes(`after ${tag}`)));
    const after = lines.find((l) => l.raw.includes(`after ${tag}`))!;
    expect(lines.some((l) => l.raw.includes(`before ${tag}`))).toBe(false);
    expect(lines.some((l) => /oomlab: run .* start/.test(l.raw))).toBe(false); // our marker is not a kernel line
    // The kernel's stamp, mapped through the marker offset, agrees with the host clock.
    expect(Math.abs(after.t - at)).toBeLessThan(250);
    expect(after.raw).toMatch(/^\[\s*\d+\.\d{6}\] oomlab-test after/);
  });
});
