// The browser's open/save (electron/web/files.ts) and the static files
// (static.ts): names stay one path segment, downloads are one-shot by exact
// path, nothing outside the renderer folder is read.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { safeName, WebFiles } from '../../../electron/web/files';
import { staticFile } from '../../../electron/web/static';
import { RendererNotBuilt, startLabUi } from '../../../electron/web/lab-ui';

const dir = mkdtempSync(join(tmpdir(), 'oomlab-web-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('browser files', () => {
  it('keeps suggested names to one harmless segment', () => {
    expect(safeName('run 1.ndjson', 'x')).toBe('run 1.ndjson');
    expect(safeName('../../etc/passwd', 'x')).toBe('passwd');
    expect(safeName('..', 'x')).toBe('x');
    expect(safeName('a\\b\nc"d.csv', 'x')).toBe('b_c_d.csv');
    expect(safeName('', 'fallback')).toBe('fallback');
  });

  it('hands out save paths inside its folder and lets each be downloaded once', async () => {
    const files = new WebFiles(join(dir, 'files'));
    const path = (await files.saveFile('csv', '../samples.csv'))!;
    expect(dirname(dirname(path))).toBe(join(dir, 'files'));
    expect(path.endsWith('/samples.csv')).toBe(true);
    expect(files.takeDownload('/etc/passwd')).toBeNull();
    expect(files.takeDownload(path)).toBe(path);
    expect(files.takeDownload(path)).toBeNull();
    expect(await files.openRecording()).toBeNull();
    files.close();
  });
});

describe('startLabUi', () => {
  it('without built pages says where they are missing and how to build them', async () => {
    const missing = join(dir, 'no-renderer');
    const opts = { rendererDir: missing, dataDir: join(dir, 'd'), demoDir: dir, engine: { appVersion: '0', scenarioDirs: [] }, systemLocale: 'en' as const, port: 0, log: () => undefined };
    await expect(startLabUi(opts)).rejects.toThrow(new RendererNotBuilt(missing));
    expect(new RendererNotBuilt(missing).message).toBe(`${missing}/index.html: the app's pages are not built`);
    expect(new RendererNotBuilt(missing).hint).toBe('run `npm run build:renderer` in the oomlab checkout');
  });
});

describe('static files', () => {
  const root = join(dir, 'renderer');
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<html>');
  writeFileSync(join(root, 'assets', 'a.js'), 'x');
  writeFileSync(join(dir, 'secret.txt'), 'secret');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'assets', 'link.js'));

  it('serves the renderer and nothing else', async () => {
    expect((await staticFile(root, '/'))?.type).toBe('text/html; charset=utf-8');
    expect((await staticFile(root, '/assets/a.js'))?.body.toString()).toBe('x');
    for (const p of ['/../secret.txt', '/..%2fsecret.txt', '/assets/..%2f..%2fsecret.txt', '/assets/link.js', '/assets', '/%E0%A4%A', '/a%00.js', '/nope.js']) {
      expect({ p, file: await staticFile(root, p) }).toEqual({ p, file: null });
    }
  });
});
