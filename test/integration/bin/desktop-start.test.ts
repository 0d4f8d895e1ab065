// `npm start` (bin/desktop.mjs) on a machine where Electron's binary cannot be
// downloaded: a few plain lines with the way forward and exit 6, before any
// build step runs. Electron's binary is never available on these machines, so
// this is the real path a new user takes here.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const electronDir = `${root}node_modules/electron/`;
const installed = existsSync(`${electronDir}path.txt`) && existsSync(`${electronDir}dist/${readFileSync(`${electronDir}path.txt`, 'utf8')}`);

describe.skipIf(installed)('npm start without an Electron binary', () => {
  it('says how to get one, shows no stack and builds nothing', () => {
    // A mirror that refuses at once: the download fails the same way as with no network.
    const r = spawnSync(process.execPath, ['bin/desktop.mjs'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, ELECTRON_MIRROR: 'http://127.0.0.1:9/', ELECTRON_OVERRIDE_DIST_PATH: '' },
    });
    expect(r.status).toBe(6);
    expect(r.stderr).toContain('could not be downloaded');
    expect(r.stderr).toContain('ELECTRON_MIRROR=');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).not.toContain('vite');
  });
});
