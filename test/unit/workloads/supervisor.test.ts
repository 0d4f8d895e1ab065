// The one workload runner, driven by real sh scripts over LocalTransport that
// speak the wrapper's marker protocol: what every driver (cgroup, docker, pod)
// gets from it without writing it again.
import { afterEach, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../electron/lab/events';
import type { HostFacts } from '../../../electron/lab/host/facts';
import type { RemoteContext } from '../../../electron/lab/remote';
import { makeHostClock } from '../../../electron/lab/sampler/clock';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { quote } from '../../../electron/lab/ssh/quote';
import { buildWorkload } from '../../../electron/lab/workloads/commands';
import type { WorkloadSpec } from '../../../electron/lab/workloads/spec';
import { decodeStatus, superviseWorkload, type WorkloadDriver } from '../../../electron/lab/workloads/supervisor';

const ramp: WorkloadSpec = { kind: 'ramp', mbPerSec: 10, stepMb: 1, timeCapSec: 5 };
const stress: WorkloadSpec = { kind: 'stress', vm: 1, vmBytes: 1024 * 1024, timeCapSec: 5 };

let transport: LocalTransport;
afterEach(async () => {
  await transport?.close();
});

function context(tools: Record<string, boolean> = {}): RemoteContext {
  transport = new LocalTransport();
  const facts = { root: true, tools } as unknown as HostFacts;
  return { transport, facts, clock: makeHostClock(Date.now(), 0, 0) };
}

/** A driver whose "wrapper" prints the given lines; `@` stands for the start's marker prefix. */
function scripted(lines: (nonce: string) => string[], over: Partial<WorkloadDriver> = {}, spec: WorkloadSpec = ramp): WorkloadDriver {
  return {
    where: ' in test',
    toolProblem: () => null,
    refused: { code: 97, why: 'refused by the test wrapper' },
    prepare: async () => ({
      cgroup: '/oomlab/test/wl-w',
      built: buildWorkload(spec, { rampImpl: 'sh', scratchDir: '/tmp', workload: 'w' }),
      wrapper: (nonce) => lines(nonce).map((l) => `printf '%s\\n' ${quote(l)}`).join('\n'),
    }),
    ...over,
  };
}

describe('decodeStatus', () => {
  it('separates exit codes from signals as timeout reports them', () => {
    expect(decodeStatus(0)).toEqual({ code: 0, signal: null });
    expect(decodeStatus(1)).toEqual({ code: 1, signal: null });
    expect(decodeStatus(137)).toEqual({ code: null, signal: 'KILL' });
    expect(decodeStatus(143)).toEqual({ code: null, signal: 'TERM' });
  });
});

describe('superviseWorkload', () => {
  it('reports the display form of the command in workload-start, with the driver note first', async () => {
    const events: LabEvent[] = [];
    const h = superviseWorkload(context(), 'w', ramp, (e) => events.push(e), scripted((n) => [`@oomlab:${n} joined 0::/oomlab/test/wl-w`, `@oomlab:${n} pid 4242`, `@oomlab:${n} exit 0 0`], { startNote: () => 'via test' }));
    const start = await h.started;
    const built = buildWorkload(ramp, { rampImpl: 'sh', scratchDir: '/tmp', workload: 'w' });
    expect(built.argv).not.toEqual(built.display);
    expect(start.argv).toEqual(built.display);
    expect(start).toMatchObject({ workload: 'w', pid: 4242, cgroup: '/oomlab/test/wl-w', verifiedMember: true });
    expect(start.note).toBe(['via test', built.note].filter(Boolean).join('; '));
    expect(await h.exited).toMatchObject({ code: 0, signal: null, oomKilled: false, pid: 4242 });
  });

  it("counts timeout's cap line even when stderr arrives after the exit marker (separate streams)", async () => {
    const driver: WorkloadDriver = {
      ...scripted(() => []),
      prepare: async () => ({
        cgroup: '/oomlab/test/wl-w',
        built: buildWorkload(ramp, { rampImpl: 'sh', scratchDir: '/tmp', workload: 'w' }),
        // As under load: the exit marker is read first, timeout's own line on stderr a moment later.
        wrapper: (n) => `printf '@oomlab:${n} pid 10\\n'; printf '@oomlab:${n} exit 137 0\\n'; sleep 0.3; echo "timeout: sending signal KILL to command 'sh'" >&2`,
      }),
    };
    const h = superviseWorkload(context(), 'w', ramp, () => {}, driver);
    expect(await h.exited).toMatchObject({ signal: 'KILL', oomKilled: false, timeCapHit: true });
  });

  it('decodes a KILL exit with a counter above 0 as an OOM kill, and keeps reported pids', async () => {
    const h = superviseWorkload(context(), 'w', ramp, () => {}, scripted((n) => [`@oomlab:${n} pid 10`, `@oomlab:${n} pids 11 12 x`, `@oomlab:${n} exit 137 1`]));
    expect(await h.exited).toMatchObject({ code: null, signal: 'KILL', oomKilled: true });
    expect([...h.pids].sort()).toEqual([10, 11, 12]);
  });

  it('lets the driver decide about OOM kills and handle its own markers', async () => {
    const seen: string[] = [];
    const driver = scripted((n) => [`@oomlab:${n} k0 3`, `@oomlab:${n} pid 10`, `@oomlab:${n} exit 137 4`], {
      onMarker: (what, args) => (what === 'k0' ? (seen.push(args[0]!), true) : false),
      oomKilled: ({ kills }) => kills === 99,
    });
    const h = superviseWorkload(context(), 'w', ramp, () => {}, driver);
    expect(await h.exited).toMatchObject({ signal: 'KILL', oomKilled: false });
    expect(seen).toEqual(['3']);
  });

  it('treats marker lines of another nonce as output, and notes the time cap', async () => {
    const events: LabEvent[] = [];
    const h = superviseWorkload(context(), 'w', ramp, (e) => events.push(e), scripted((n) => [`@oomlab:${n} pid 10`, '@oomlab:0000 exit 0 0', `@oomlab:${n} timecap`, `@oomlab:${n} exit 137 0`]));
    expect(await h.exited).toMatchObject({ signal: 'KILL', oomKilled: false, timeCapHit: true });
    expect(events.filter((e) => e.kind === 'workload-output').map((e) => (e as { line: string }).line)).toEqual(['@oomlab:0000 exit 0 0']);
  });

  it('rejects started with the driver\'s words when the wrapper refuses', async () => {
    const h = superviseWorkload(context(), 'w', ramp, () => {}, scripted(() => [], {
      prepare: async () => ({ cgroup: '/x', built: buildWorkload(ramp, { rampImpl: 'sh', scratchDir: '/tmp', workload: 'w' }), wrapper: () => 'exit 97' }),
    }));
    await expect(h.started).rejects.toThrow(`workload w in test on ${transport.label} did not start: refused by the test wrapper`);
    expect(await h.exited).toMatchObject({ code: null, pid: 0 });
  });

  it('refuses a tool the driver says is missing, as an error event naming the place', async () => {
    const events: LabEvent[] = [];
    const h = superviseWorkload(context(), 'w', stress, (e) => events.push(e), scripted(() => [], { toolProblem: (tool) => `${tool} is not in image test` }, stress));
    await expect(h.started).rejects.toThrow('stress is not in image test');
    expect(events.find((e) => e.kind === 'error')).toMatchObject({ message: `workload w in test on ${transport.label}: stress is not in image test` });
  });

  it('says nothing as an error when stopped before the wrapper ran', async () => {
    const events: LabEvent[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const base = scripted(() => []);
    const h = superviseWorkload(context(), 'w', ramp, (e) => events.push(e), { ...base, prepare: async () => (await gate, base.prepare()) });
    const stopped = h.stop();
    release();
    expect(await stopped).toMatchObject({ stopped: true });
    expect(events.filter((e) => e.kind === 'error')).toEqual([]);
  });
});
