// electron-builder.yml, checked by electron-builder's own loader and schema
// validation (packaging itself needs Electron's binary, not available here).
import { describe, expect, it } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

describe('electron-builder configuration', () => {
  it('passes electron-builder validation and targets AppImage, deb, dmg and nsis', async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    await validateConfiguration(config, new DebugLogger(false));
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
  });

  it('packs the built app and ships the scenarios as resources', async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    expect(JSON.stringify(config.files)).toContain('"dist/main/**","dist/renderer/**"');
    expect(JSON.stringify(config.extraResources)).toContain('"to":"scenarios"');
    const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/main/main.js');
  });

  it('rejects a broken configuration (the check can fail)', async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    await expect(validateConfiguration({ ...config, linuxx: { target: 'AppImage' } } as never, new DebugLogger(false))).rejects.toThrow(/linuxx/);
  });
});
