import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkImageRef, pid1Argv, runArgv, type ContainerSpec } from '../../../electron/lab/docker/commands';
import { command } from '../../../electron/lab/ssh/quote';

const spec: ContainerSpec = {
  name: 'oomlab-r1',
  image: 'oomlab/stress:0123456789ab',
  memoryBytes: 64 * 1024 * 1024,
  swap: 'pinned',
  network: 'none',
  runId: 'r1',
  createdAt: '2026-11-23T15:00:00.000Z',
  mode: 'main',
  lifetimeSec: 3600,
};

function after(argv: string[], flag: string): string[] {
  return argv.flatMap((a, i) => (a === flag ? [argv[i + 1]!] : []));
}

describe('runArgv', () => {
  it('names, labels and limits the container; swap pinned = --memory-swap equal to --memory', () => {
    const a = runArgv(spec);
    expect(a.slice(0, 3)).toEqual(['docker', 'run', '--detach']);
    expect(after(a, '--name')).toEqual(['oomlab-r1']);
    expect(after(a, '--label')).toEqual(['oomlab=1', 'oomlab.run=r1', 'oomlab.created=2026-11-23T15:00:00.000Z', 'oomlab.mode=main']);
    expect(after(a, '--memory')).toEqual(['67108864b']);
    expect(after(a, '--memory-swap')).toEqual(['67108864b']);
    expect(after(a, '--network')).toEqual(['none']);
    expect(after(a, '--log-driver')).toEqual(['json-file']);
    // The image comes right before PID 1's arguments.
    const i = a.indexOf(spec.image);
    expect(a.slice(i + 1, i + 3)).toEqual(['-c', expect.stringContaining('. "$2"')]);
  });

  it('swap allowed: no --memory-swap (docker\'s default then allows swap)', () => {
    expect(runArgv({ ...spec, swap: 'allowed' })).not.toContain('--memory-swap');
  });

  it('refuses what docker would misread or reject', () => {
    expect(() => runArgv({ ...spec, image: '--privileged' })).toThrow(/not an image reference/);
    expect(() => checkImageRef('ubuntu; rm -rf /')).toThrow(/not an image reference/);
    expect(() => runArgv({ ...spec, network: 'host --privileged' })).toThrow(/not a network name/);
    expect(() => runArgv({ ...spec, memoryBytes: 4 * 1024 * 1024 })).toThrow(/at least 6291456/);
    expect(() => runArgv({ ...spec, name: 'web' })).toThrow(/expected oomlab-<run id>/);
  });

  it('the whole command line survives quoting as one argv', () => {
    const line = command(runArgv(spec));
    const r = spawnSync('/bin/sh', ['-c', `printf '%s\\0' ${line.replace(/^docker /, '')}`], { encoding: 'utf8' });
    expect(r.stdout.split('\0').slice(0, -1)).toEqual(runArgv(spec).slice(1));
  });
});

describe('pid1Argv', () => {
  it('main: without the signal the gate gives up after its lifetime, even with a file there', () => {
    const g = pid1Argv('main', 1);
    expect(g.entrypoint).toBe('sh');
    const dir = mkdtempSync(join(tmpdir(), 'gate-'));
    writeFileSync(`${dir}/go`, 'exec echo handed-over\n');
    const t0 = Date.now();
    const r = spawnSync('/bin/sh', [...g.args.slice(0, 3), '1', `${dir}/go`], { encoding: 'utf8', timeout: 10_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    rmSync(dir, { recursive: true });
  });

  it('main: SIGUSR1 makes the gate source the file, which execs into the workload', async () => {
    const g = pid1Argv('main', 5);
    const dir = mkdtempSync(join(tmpdir(), 'gate-'));
    writeFileSync(`${dir}/go`, 'exec echo handed-over\n');
    const child = spawn('/bin/sh', [...g.args.slice(0, 3), '5', `${dir}/go`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    const done = new Promise<void>((res) => child.on('exit', () => res()));
    // As the wrapper does: signal only once the trap is set (SigCgt bit 9 = USR1).
    const caught = () => {
      const m = /^SigCgt:\s+([0-9a-f]+)$/m.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      return m !== null && (BigInt(`0x${m[1]}`) & 512n) !== 0n;
    };
    const end = Date.now() + 5000;
    while (!caught() && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGUSR1');
    await done;
    expect(out).toBe('handed-over\n');
    rmSync(dir, { recursive: true });
  });

  it('exec: PID 1 only sleeps', () => {
    expect(pid1Argv('exec', 60).args).toEqual(['-c', 'exec sleep "$1"', 'oomlab-idle', '60']);
    expect(() => pid1Argv('exec', 0)).toThrow(/lifetime/);
  });
});
