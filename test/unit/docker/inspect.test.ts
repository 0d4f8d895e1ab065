import { describe, expect, it } from 'vitest';
import { InspectParseError, parseInspect, parseInspectOne, parseState } from '../../../electron/lab/docker/inspect';
import { containerStatus } from '../../../electron/lab/docker/status';
import { fixture } from './fixtures';

describe('parseInspect on real docker inspect output (dockerd 20.10)', () => {
  it('reads the allocator killed as PID 1: exited, OOMKilled, 137', () => {
    const c = parseInspectOne(fixture('inspect-main-oom-137.json'));
    expect(c.id).toBe('b3011e5f54a88a6c13e71853fcf6a14d1f2285d98309213176da75bc91ff97ef');
    expect(c.name).toBe('oomlab-fixture-alloc');
    expect(c.state).toMatchObject({ status: 'exited', running: false, oomKilled: true, exitCode: 137, pid: 0, error: null });
    expect(c.state.startedAt).toMatch(/^2026-/);
    expect(c.state.finishedAt).toMatch(/^2026-/);
    expect(c.restartCount).toBe(0);
    expect(c.memoryBytes).toBe(32 * 1024 * 1024);
    expect(c.memorySwapBytes).toBe(32 * 1024 * 1024);
    expect(c.networkMode).toBe('none');
    // The image's labels are merged into the container's.
    expect(c.labels).toMatchObject({ oomlab: '1', 'oomlab.run': 'fixture' });
    expect(c.labels['oomlab.image']).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads stress as PID 1 whose worker was killed: exit 1, still OOMKilled', () => {
    const c = parseInspectOne(fixture('inspect-main-stress-exit1.json'));
    expect(c.state).toMatchObject({ status: 'exited', oomKilled: true, exitCode: 1 });
  });

  it('reads a running container whose exec child was killed: OOMKilled false, a live pid', () => {
    const c = parseInspectOne(fixture('inspect-exec-oom-running.json'));
    expect(c.state.running).toBe(true);
    expect(c.state.oomKilled).toBe(false);
    expect(c.state.pid).toBeGreaterThan(0);
    expect(c.state.finishedAt).toBeNull(); // docker prints 0001-01-01 for "never"
    expect(c.cgroupParent).toBe('');
    expect(c.cgroupnsMode).toBe('host');
  });

  it('the same container killed later: docker now says OOMKilled true', () => {
    const c = parseInspectOne(fixture('inspect-exec-oom-killed-later.json'));
    expect(c.state).toMatchObject({ status: 'exited', oomKilled: true, exitCode: 137 });
  });

  it('accepts the one-object form of --format {{json .}}', () => {
    const obj = JSON.stringify(JSON.parse(fixture('inspect-main-oom-137.json'))[0]);
    expect(parseInspect(obj)).toHaveLength(1);
    expect(parseState(JSON.parse(obj).State).exitCode).toBe(137);
  });

  it('names the field that is wrong', () => {
    const obj = JSON.parse(fixture('inspect-main-oom-137.json'))[0];
    obj.State.OOMKilled = 'yes';
    expect(() => parseInspect(JSON.stringify([obj]), 'docker inspect x')).toThrow(/docker inspect x\[0\]\.State\.OOMKilled: expected true or false/);
    expect(() => parseInspect('Error: No such object: x')).toThrow(InspectParseError);
    expect(() => parseInspectOne('[]')).toThrow(/expected one container, got 0/);
  });
});

describe('containerStatus', () => {
  it('turns an OOM-killed container into a status event body', () => {
    expect(containerStatus(parseInspectOne(fixture('inspect-main-oom-137.json')))).toEqual({
      kind: 'status',
      subject: 'container',
      name: 'oomlab-fixture-alloc',
      phase: 'exited',
      reason: 'OOMKilled',
      exitCode: 137,
      restartCount: 0,
      oomKilled: true,
    });
  });

  it('a running container has no exit code and no reason', () => {
    const s = containerStatus(parseInspectOne(fixture('inspect-exec-oom-running.json')));
    expect(s).toMatchObject({ phase: 'running', reason: null, exitCode: null, oomKilled: false });
  });

  it('a failed exit without OOM is an Error, a clean one Completed', () => {
    const obj = JSON.parse(fixture('inspect-main-stress-exit1.json'))[0];
    obj.State.OOMKilled = false;
    expect(containerStatus(parseInspectOne(JSON.stringify(obj))).reason).toBe('Error');
    obj.State.ExitCode = 0;
    expect(containerStatus(parseInspectOne(JSON.stringify(obj))).reason).toBe('Completed');
  });
});
