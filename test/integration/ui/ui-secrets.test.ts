// No keychain behind a browser, so `oomlab ui` keeps no password or
// passphrase, not even in memory: a second connect asks again (the desktop
// would reuse the one typed for this session), and nothing reaches the disk.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLabUi, type LabUi } from '../../../electron/web/lab-ui';
import { buildOnce, ROOT } from '../../e2e/helpers/app';
import { requireOrSkip, startSshd, type TestSshd } from '../../helpers/sshd';
import { listenPushes, login, type PushLog, type UiSession } from '../../helpers/ui-client';

const pre = requireOrSkip(['root', 'sshd']);
const PASSPHRASE = 'ui-passphrase-51c2';

describe.skipIf(pre.skip)('oomlab ui keeps no secrets', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'oomlab-ui-secrets-'));
  let sshd: TestSshd;
  let ui: LabUi;
  let s: UiSession;
  let pushes: PushLog;

  beforeAll(async () => {
    sshd = await startSshd({ userKeyPassphrase: PASSPHRASE });
    ui = await startLabUi({
      rendererDir: (await buildOnce()).renderer,
      dataDir,
      demoDir: join(ROOT, 'scenarios', 'recordings'),
      engine: { appVersion: '0.1.0-test', scenarioDirs: [join(ROOT, 'scenarios')], connect: { knownHostsFile: sshd.knownHostsFile, sshConfigFile: sshd.sshConfigFile, useAgent: false } },
      systemLocale: 'en',
      port: 0,
      log: () => undefined,
    });
    s = await login(ui.url);
    pushes = await listenPushes(s);
  });
  afterAll(async () => {
    pushes?.close();
    await ui?.close();
    await sshd?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Connects, answering the passphrase prompt; returns how many prompts this connect asked. */
  async function connectAnswering(hostId: string): Promise<number> {
    const before = pushes.pushed.filter((p) => p.channel === 'oomlab:push:prompt').length;
    const connecting = s.invoke('oomlab:connectHost', { hostId });
    const prompt = await Promise.race([
      pushes.next((p) => p.channel === 'oomlab:push:prompt' && pushes.pushed.filter((q) => q.channel === 'oomlab:push:prompt').indexOf(p) >= before),
      connecting.then(() => null),
    ]);
    if (prompt) {
      const { promptId } = prompt.payload as { promptId: string };
      expect(await s.invoke('oomlab:answerPrompt', { promptId, answer: { kind: 'secret', value: PASSPHRASE, remember: true } })).toEqual({ ok: true, value: null });
    }
    expect(await connecting).toMatchObject({ ok: true });
    return pushes.pushed.filter((p) => p.channel === 'oomlab:push:prompt').length - before;
  }

  it('asks for the passphrase at every connect and writes it nowhere', async () => {
    const settings = await s.invoke('oomlab:getSettings');
    expect(settings).toMatchObject({ ok: true, value: { secretStorageAvailable: false } });
    const saved = await s.invoke('oomlab:saveHost', { label: 'loopback', target: sshd.spec, identityFile: sshd.identityFile, useAgent: false, rememberSecret: true });
    const host = (saved as { value: { id: string; rememberSecret: boolean } }).value;
    expect(host.rememberSecret).toBe(false);

    expect(await connectAnswering(host.id)).toBe(1);
    expect(await s.invoke('oomlab:disconnectHost', { hostId: host.id })).toEqual({ ok: true, value: null });
    expect(await connectAnswering(host.id)).toBe(1);
    await s.invoke('oomlab:disconnectHost', { hostId: host.id });

    expect(existsSync(join(dataDir, 'secrets.json'))).toBe(false);
    for (const f of readdirSync(dataDir)) if (f.endsWith('.json')) expect(readFileSync(join(dataDir, f), 'utf8')).not.toContain(PASSPHRASE);
  });
});
