// The identity-file picker (native open dialog in ~/.ssh, hidden files shown)
// through main's handler, and what Settings tell the renderer about this
// machine: its platform and the user's scenario folder. FAKE electron dialog.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import fake from './fake-electron';
import { createEngine } from '../../../electron/app/engine';
import { LabService } from '../../../electron/app/lab-service';
import { setupDialogs } from '../../../electron/app/dialogs';

vi.mock('electron', () => import('./fake-electron'));

const root = new URL('../../../', import.meta.url).pathname;
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'oomlab-id-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function service(scenarioDirs: string[], platform?: string) {
  return new LabService({
    engine: createEngine({ appVersion: '0.1.0-test', scenarioDirs }),
    dialogs: setupDialogs(fake.dialog, () => null, join(dir, 'docs')),
    push: () => undefined,
    dataDir: join(dir, 'data'),
    demoDir: join(dir, 'demos'),
    systemLocale: 'en',
    cipher: null,
    log: () => undefined,
    ...(platform ? { platform } : {}),
  });
}

describe('identity file dialog', () => {
  it('opens in ~/.ssh with hidden files shown and returns the path, or null when cancelled', async () => {
    const h = service([join(root, 'scenarios')]).handlers();
    fake.dialog.openAnswers.push({ canceled: false, filePaths: ['/home/u/.ssh/id_lab'] }, { canceled: true, filePaths: [] });
    expect(await h.pickIdentityFile(undefined)).toEqual({ path: '/home/u/.ssh/id_lab' });
    const [opts] = fake.dialog.calls.at(-1) as [Electron.OpenDialogOptions];
    expect(opts.defaultPath).toBe(join(homedir(), '.ssh'));
    expect(opts.properties).toEqual(['openFile', 'showHiddenFiles']);
    expect(await h.pickIdentityFile(undefined)).toBeNull();
  });
});

describe('settings', () => {
  it('name the platform and the user scenario folder (none when only the bundled one is configured)', async () => {
    const mine = join(dir, 'mine');
    expect(await service([join(root, 'scenarios'), mine], 'darwin').handlers().getSettings(undefined)).toMatchObject({ platform: 'darwin', scenarioFolder: mine });
    expect(await service([join(root, 'scenarios')]).handlers().getSettings(undefined)).toMatchObject({ platform: process.platform, scenarioFolder: null });
  });
});
