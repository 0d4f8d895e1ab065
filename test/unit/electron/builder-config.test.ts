// electron-builder.yml, checked by electron-builder's own loader and schema
// validation (packaging itself needs Electron's binary, not available here).
import { describe, expect, it, vi } from 'vitest';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

// electron-builder's loader takes a second or more on a busy machine: not a unit's 5 s budget.
vi.setConfig({ testTimeout: 30_000 });

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

describe('electron-builder packages', () => {
  it("keeps electron-builder's default deb dependencies (saved passwords need libsecret-1-0)", async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    const { default: FpmTarget } = (await import('app-builder-lib/out/targets/FpmTarget')) as unknown as {
      default: { prototype: { getDefaultDepends(t: string): string[] } };
    };
    const defaults = FpmTarget.prototype.getDefaultDepends.call({}, 'deb');
    expect(defaults).toContain('libsecret-1-0');
    expect(config.deb?.depends).toEqual(expect.arrayContaining([...defaults, 'libasound2']));
  });

  it('has an icon set for every platform, the PNGs electron-builder takes', async () => {
    const config = await getConfig(root, 'electron-builder.yml', null);
    expect(config.linux?.icon).toBe('build/icons');
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      const png = readFileSync(`${root}build/icons/${size}x${size}.png`);
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    }
    expect(config.mac?.icon).toBe('build/icons/512x512.png');
    expect(config.win?.icon).toBe('build/icons/256x256.png');
  });
});
