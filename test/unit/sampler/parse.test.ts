// The sampler's line parser, on lines the loop printed on this machine
// (cgroup v1, kernel 6.18: a 64 MiB target with stress --vm-bytes 20M --vm-hang 0
// and oom_score_adj 500 in leaf wl-hog) and on v2 lines of the same format.
import { describe, expect, it } from 'vitest';
import { parseProcessLine, parseSamplerOutput, SamplerParser, sampleFromFields } from '../../../electron/lab/sampler/parse';

const V1_CAPTURE = `H 27252 1795446288.379593 5.2.15(1)-release
S 1795446288.380119 u=22192128 l=67108864 f=0 fs=0 p=22458368 c=4096 r=21303296 i=0 uo=0 ok=0 od=0
P 1795446288.380119 5
p wl-hog 27246 1752 666 0 sh
p wl-hog 27247 1540 666 0 timeout
p wl-hog 27248 736 666 0 sh
p wl-hog 27249 2008 1000 500 stress
p wl-hog 27251 20924 1000 500 stress
`;

describe('SamplerParser', () => {
  it('turns a captured v1 tick into a sample and a process list', () => {
    const out = parseSamplerOutput(V1_CAPTURE, 'cgroup-v1', 'target');
    expect(out.errors).toEqual([]);
    expect(out.samples).toHaveLength(1);
    const { sample, epochMs } = out.samples[0]!;
    expect(epochMs).toBeCloseTo(1795446288380.119, 3);
    expect(sample).toMatchObject({ cgroup: 'target', usageBytes: 22192128, limitBytes: 67108864, failcnt: 0, peakBytes: 22458368, cacheBytes: 4096, rssBytes: 21303296, oomKills: 0, underOom: false, ooms: null });
    expect(sample.workingSetBytes).toBe(22192128);
    const procs = out.processes[0]!.processes;
    expect(procs.map((p) => p.pid)).toEqual([27246, 27247, 27248, 27249, 27251]);
    expect(procs[4]).toEqual({ pid: 27251, comm: 'stress', rssKb: 20924, oomScore: 1000, oomScoreAdj: 500, workload: 'hog' });
  });

  it('reports the hello line with the loop pid', () => {
    const p = new SamplerParser('cgroup-v1', 'target');
    expect(p.push('H 27252 1795446288.379593 5.2.15(1)-release')).toEqual([{ type: 'hello', pid: 27252, epochMs: 1795446288379.593, bash: '5.2.15(1)-release' }]);
  });

  it('treats the v1 "unlimited" limit as null and adds memsw.failcnt', () => {
    const f = new Map(Object.entries({ u: '100', l: '9223372036854771712', f: '3', fs: '2', i: '40' }));
    const s = sampleFromFields(f, 'cgroup-v1', 'target');
    expect(s.limitBytes).toBeNull();
    expect(s.failcnt).toBe(5);
    expect(s.workingSetBytes).toBe(60);
  });

  it('never reports a negative working set', () => {
    const s = sampleFromFields(new Map(Object.entries({ u: '100', l: 'max', i: '150' })), 'cgroup-v2', 'target');
    expect(s.workingSetBytes).toBe(0);
  });

  it('reads v2 events and pressure; "-" means absent', () => {
    const p = new SamplerParser('cgroup-v2', 'target');
    const [item] = p.push('S 1795446288.5 u=6193152 l=134217728 f=2 hi=1 oo=3 ok=1 og=- p=- c=2297856 r=3108864 i=0 ps=12.50 pf=3.25');
    expect(item).toMatchObject({ type: 'sample' });
    const s = (item as { sample: import('../../../electron/lab/events').MemorySample }).sample;
    expect(s).toMatchObject({ limitBytes: 134217728, failcnt: 2, highEvents: 1, ooms: 3, oomKills: 1, peakBytes: null, underOom: null, pressure: { someAvg10: 12.5, fullAvg10: 3.25 } });
  });

  it('turns malformed lines into errors, never exceptions', () => {
    const p = new SamplerParser('cgroup-v1', 'target');
    expect(p.push('S notatime u=1')[0]).toMatchObject({ type: 'error' });
    expect(p.push('S 1795446288.5 l=5')[0]).toMatchObject({ type: 'error', message: expect.stringMatching(/key u/) });
    expect(p.push('bash: line 1: /sys/x: No such file')[0]).toMatchObject({ type: 'error' });
  });

  it('delivers a process list cut short when the next head arrives or the stream ends', () => {
    const p = new SamplerParser('cgroup-v1', 'target');
    p.push('P 1795446288.1 3');
    p.push('p - 10 100 1 0 bash');
    const cut = p.push('S 1795446288.2 u=1 l=2 f=0 p=1 c=0 r=0 i=0 uo=0 ok=0 od=0');
    expect(cut[0]).toMatchObject({ type: 'processes', processes: [{ pid: 10, workload: null }] });
    expect(cut[1]).toMatchObject({ type: 'sample' });
    p.push('P 1795446288.3 2');
    p.push('p wl-a 11 1 1 0 x');
    expect(p.end()).toEqual([{ type: 'processes', epochMs: 1795446288300, processes: [{ pid: 11, comm: 'x', rssKb: 1, oomScore: 1, oomScoreAdj: 0, workload: 'a' }] }]);
  });

  it('keeps a comm with spaces whole', () => {
    expect(parseProcessLine('p wl-x 5 10 2 -998 my worker 1')).toMatchObject({ comm: 'my worker 1', oomScoreAdj: -998, workload: 'x' });
  });
});
