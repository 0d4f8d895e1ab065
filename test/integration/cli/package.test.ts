// The CLI as a user installs it: `npm pack`, `npm install -g` into an empty
// prefix, then `oomlab` from another directory, with no sources, no tsx and no
// devDependencies in reach. A real run on this machine (--host local, a real
// cgroup and a real OOM kill) and its replay prove the bundle works end to end.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireOrSkip } from '../../helpers/sshd';
import { login, rawRequest } from '../../helpers/ui-client';
import { ROOT } from './oomlab-child';

const need = requireOrSkip(['root', 'cgroup-v1-memory', 'stress']);

describe.skipIf(need.skip)('installed CLI package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomlab-pkg-'));
  const prefix = join(dir, 'prefix');
  const work = join(dir, 'work');
  const bin = join(prefix, 'bin', 'oomlab');
  const oomlab = (args: string[]) => spawnSync(bin, args, { cwd: work, encoding: 'utf8', timeout: 110_000, env: { ...process.env, NODE_PATH: '' } });

  beforeAll(() => {
    execFileSync('mkdir', ['-p', prefix, work]);
    // prepack builds dist/cli; the tarball is what `npm publish` would upload.
    const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').pop()!;
    execFileSync('npm', ['install', '-g', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, name)], { cwd: work, encoding: 'utf8' });
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('holds the built CLI, the scenarios and no sources or dev tools', () => {
    const pkg = join(prefix, 'lib', 'node_modules', 'oomlab');
    expect(existsSync(join(pkg, 'dist', 'cli', 'oomlab.mjs'))).toBe(true);
    expect(existsSync(join(pkg, 'scenarios', 'two-workers-123mi.yaml'))).toBe(true);
    expect(existsSync(join(pkg, 'electron'))).toBe(false);
    const deps = readdirSync(join(pkg, 'node_modules'));
    for (const dev of ['tsx', 'esbuild', 'typescript', 'vitest', 'electron', 'react', 'chart.js']) expect(deps).not.toContain(dev);
  });

  it('answers --version, lists scenarios, runs one for real and replays it', () => {
    const version = oomlab(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);

    const list = oomlab(['scenarios']);
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('two-workers-123mi');

    const run = oomlab(['run', 'two-workers-123mi', '--host', 'local', '--no-sweep', '--record', 'r.ndjson']);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.status).toBe(0);
    expect(existsSync(join(work, 'r.ndjson'))).toBe(true);

    const replay = oomlab(['replay', 'r.ndjson']);
    expect(replay.status).toBe(0);
    expect(replay.stdout).toMatch(/oom|OOM/);
  }, 120_000);

  it('serves the app with `oomlab ui` (the built pages are in the package)', async () => {
    const ui = spawn(bin, ['ui', '--no-open', '--data-dir', join(dir, 'ui-data')], { cwd: work, env: { ...process.env, NODE_PATH: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((r) => ui.on('close', r));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      ui.stdout.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(out);
        if (m) resolve(m[0]);
      });
      void exited.then((code) => reject(new Error(`oomlab ui exited ${code}: ${out}`)));
    });
    const session = await login(url);
    const page = await rawRequest(new URL('/', url).href, { headers: { Cookie: session.cookie } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    ui.kill('SIGTERM');
    expect(await exited).toBe(130);
  });
});
