// Main's request handlers (LabService) with the real engine on this machine
// (`local` host: real probe) and the FAKE electron module's safeStorage and
// dialog (test/unit/electron/fake-electron.ts).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import fake from './fake-electron';
import { createEngine } from '../../../electron/app/engine';
import { LabService } from '../../../electron/app/lab-service';
import { setupDialogs } from '../../../electron/app/dialogs';
import { dispatch } from '../../../electron/app/dispatch';
import type { PushName } from '../../../electron/ipc';
import { messages } from '../../../renderer/i18n/messages';

vi.mock('electron', () => import('./fake-electron'));

const root = new URL('../../../', import.meta.url).pathname;
let dir: string;
let pushes: Array<{ name: PushName; payload: unknown }>;
const PW = { kind: 'password', host: 'root@labvm:22' } as const;

function service(cipher: typeof fake.safeStorage | null = fake.safeStorage) {
  return new LabService({
    engine: createEngine({ appVersion: '0.1.0-test', scenarioDirs: [join(root, 'scenarios')] }),
    dialogs: setupDialogs(fake.dialog, () => null, join(dir, 'docs')),
    push: (name, payload) => pushes.push({ name, payload }),
    dataDir: join(dir, 'data'),
    demoDir: join(dir, 'demos'),
    systemLocale: 'en',
    cipher,
    log: () => undefined,
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'oomlab-svc-'));
  pushes = [];
  fake.safeStorage.available = true;
  fake.safeStorage.backend = 'gnome_libsecret';
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('hosts', () => {
  it('lists this computer first, saves, edits and removes SSH hosts', async () => {
    const h = service().handlers();
    expect((await h.listHosts(undefined)).map((x) => x.id)).toEqual(['local']);
    const saved = await h.saveHost({ label: 'lab vm', target: 'root@labvm:2222', identityFile: null, useAgent: true, rememberSecret: false });
    expect(saved).toMatchObject({ kind: 'ssh', label: 'lab vm', target: 'root@labvm:2222', hasSavedSecret: false });
    await h.saveHost({ id: saved.id, label: 'lab', target: 'labvm', identityFile: '/k', useAgent: false, rememberSecret: false });
    // Kept on disk for the next launch, without any secret in it.
    const again = service().handlers();
    expect((await again.listHosts(undefined))[1]).toMatchObject({ id: saved.id, label: 'lab', target: 'labvm', identityFile: '/k' });
    await again.removeHost({ id: saved.id });
    expect((await again.listHosts(undefined)).length).toBe(1);
    await expect(again.saveHost({ id: 'local', label: 'x', target: 'y', identityFile: null, useAgent: true, rememberSecret: false })).rejects.toThrow(/cannot be edited/);
  });

  it('cannot turn on "remember the password" where safeStorage cannot encrypt', async () => {
    fake.safeStorage.available = false;
    const h = service().handlers();
    const saved = await h.saveHost({ label: 'x', target: 'x', identityFile: null, useAgent: true, rememberSecret: true });
    expect(saved.rememberSecret).toBe(false);
    expect((await h.getSettings(undefined)).secretStorageAvailable).toBe(false);
  });
});

describe('secrets', () => {
  it('keeps them in memory; persists only encrypted, only when asked; forgets on request', () => {
    const s = service();
    s.vault.set('h-1', PW, 'hunter2-session-only', false);
    expect(s.vault.get('h-1', PW)).toBe('hunter2-session-only');
    expect(existsSync(join(dir, 'data', 'secrets.json'))).toBe(false);

    s.vault.set('h-2', PW, 'correct horse battery', true);
    const onDisk = readFileSync(join(dir, 'data', 'secrets.json'), 'utf8');
    expect(onDisk).not.toContain('correct horse');
    expect(Buffer.from(Object.values(JSON.parse(onDisk)['h-2'] as Record<string, string>)[0]!, 'base64').toString('latin1')).not.toContain('correct horse');
    // A later launch (same keychain) reads it back; nothing of h-1 was kept.
    const later = service();
    expect(later.vault.get('h-2', PW)).toBe('correct horse battery');
    expect(later.vault.get('h-1', PW)).toBeNull();
    later.vault.forget('h-2');
    expect(service().vault.get('h-2', PW)).toBeNull();
  });

  it('keeps nothing when Linux safeStorage has no keyring (basic_text: a fixed key), and says why', async () => {
    fake.safeStorage.backend = 'basic_text';
    const s = service();
    const h = s.handlers();
    expect(fake.safeStorage.isEncryptionAvailable()).toBe(true); // what Electron says with basic_text
    expect(await h.getSettings(undefined)).toMatchObject({ secretStorageAvailable: false, secretStorageProblem: 'no-keyring' });
    const saved = await h.saveHost({ label: 'x', target: 'x', identityFile: null, useAgent: true, rememberSecret: true });
    expect(saved.rememberSecret).toBe(false);
    s.vault.set(saved.id, PW, 'would-be-readable-by-anyone', true);
    expect(existsSync(join(dir, 'data', 'secrets.json'))).toBe(false);
    // The form shows the reason in both languages.
    expect(messages.en['hosts.form.rememberNoKeyring']).toMatch(/keyring.*fixed key/);
    expect(messages['zh-CN']['hosts.form.rememberNoKeyring']).toMatch(/钥匙环/);
  });

  it('never writes a secret when safeStorage is unavailable', () => {
    fake.safeStorage.available = false;
    const s = service(fake.safeStorage);
    s.vault.set('h-3', PW, 'plain', true);
    expect(existsSync(join(dir, 'data', 'secrets.json'))).toBe(false);
  });
});

describe('connections and runs', () => {
  it('connects to this computer with visible progress and the real probe', async () => {
    const s = service();
    const h = s.handlers();
    const facts = await h.connectHost({ hostId: 'local' });
    expect(facts.host).toBe('local');
    expect(facts.kernel).toBe(readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim());
    expect(pushes.filter((p) => p.name === 'connectProgress').map((p) => (p.payload as { stage: string }).stage)).toEqual(['connecting', 'probing', 'connected']);
    // This machine can run scenarios; the same facts without cgroup access or kernel log cannot, and say why.
    const engine = createEngine({ appVersion: 't', scenarioDirs: [] });
    expect(engine.hostProblem(facts)).toBeNull();
    expect(engine.hostProblem({ ...facts, canCreateCgroup: false, problems: ['not root and no sudo -n'] })).toMatchObject({ code: 'no-cgroup-permission', message: expect.stringContaining('not root') });
    expect(engine.hostProblem({ ...facts, kernelLog: [] })).toMatchObject({ code: 'host-missing-tool' });
    // Connecting again while connected answers from the same connection.
    expect(await h.connectHost({ hostId: 'local' })).toEqual(facts);
    await h.disconnectHost({ hostId: 'local' });
    expect((pushes.at(-1)!.payload as { stage: string }).stage).toBe('disconnected');
  });

  it('lists the kills in a connected host\'s kernel log, read only, and refuses a host that is not connected', async () => {
    const h = service().handlers();
    await expect(h.listHostKills({ hostId: 'local', sinceSec: 3600 })).rejects.toMatchObject({ code: 'not-connected' });
    const facts = await h.connectHost({ hostId: 'local' });
    const list = await h.listHostKills({ hostId: 'local', sinceSec: 7 * 86400 });
    expect(list.source).toBe(facts.root ? '/dev/kmsg' : expect.stringMatching(/through sudo -n|dmesg|journalctl/));
    for (const k of list.kills) {
      expect(k.wall).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(Array.isArray(k.owner.unresolved)).toBe(true);
    }
    await h.disconnectHost({ hostId: 'local' });
  });

  it('refuses a run on a host that is not connected, and answers to unknown prompts', async () => {
    const h = service().handlers();
    await expect(h.startRun({ hostId: 'local', scenarioId: 'two-workers-123mi', params: {}, pauseBetweenSteps: false })).rejects.toMatchObject({ code: 'not-connected' });
    await expect(h.answerPrompt({ promptId: 'p-gone', answer: { kind: 'host-key', decision: 'once' } })).rejects.toMatchObject({ code: 'cancelled' });
    await expect(h.continueRun({ runId: 'r-none' })).rejects.toMatchObject({ code: 'invalid-request' });
  });

  it('lists the bundled scenarios with steps, narration and editable params', async () => {
    const list = await service().handlers().listScenarios(undefined);
    const s = list.find((x) => x.id === 'two-workers-123mi')!;
    expect(s.source).toBe('bundled');
    expect(s.invalid).toBeNull();
    expect(s.steps.length).toBe(2);
    expect(s.steps[0]!.narration['zh-CN']).toBeTruthy();
    expect(s.params.find((p) => p.name === 'limit')).toMatchObject({ kind: 'size', default: '123Mi' });
  });

  it('reports a broken user scenario with file:line instead of failing the list', async () => {
    const user = join(dir, 'user-scenarios');
    mkdirSync(user);
    writeFileSync(join(user, 'broken.yaml'), 'id: broken\ntitle: Broken\nlimit: lots\nsteps: []\n');
    const svc = new LabService({
      engine: createEngine({ appVersion: 't', scenarioDirs: [join(root, 'scenarios'), user] }),
      dialogs: setupDialogs(fake.dialog, () => null, dir),
      push: () => undefined,
      dataDir: join(dir, 'data'),
      demoDir: dir,
      systemLocale: 'en',
      cipher: null,
      log: () => undefined,
    });
    const broken = (await svc.handlers().listScenarios(undefined)).find((x) => x.file.endsWith('broken.yaml'))!;
    expect(broken.source).toBe('user');
    expect(broken.invalid).toMatch(/broken\.yaml:\d+:\d+/);
  });
});

describe('recordings and exports', () => {
  it('lists bundled recordings by their header and opens them by name only', async () => {
    mkdirSync(join(dir, 'demos'));
    copyFileSync(join(root, 'test/unit/renderer/fixtures/two-workers-123mi.local.ndjson'), join(dir, 'demos', 'two-workers.ndjson'));
    writeFileSync(join(dir, 'demos', 'junk.ndjson'), 'not json\n');
    const s = service();
    const h = s.handlers();
    const demos = await h.listDemoRecordings(undefined);
    expect(demos.map((d) => [d.name, d.scenarioId, d.title.en])).toEqual([['two-workers.ndjson', 'two-workers-123mi', 'Two stress workers in a 123 MiB cgroup']]);
    const opened = await h.openDemoRecording({ name: 'two-workers.ndjson' });
    expect(opened.text.startsWith('{"format":"oomlab-recording"')).toBe(true);
    await expect(h.openDemoRecording({ name: 'junk.ndjson' })).rejects.toMatchObject({ code: 'recording-invalid' });
    const r = await dispatch('oomlab:openDemoRecording', { name: '../../etc/passwd' }, h, { classify: () => null, log: () => undefined });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('opens a recording through the open dialog, and nothing when cancelled', async () => {
    const h = service().handlers();
    const path = join(root, 'test/unit/renderer/fixtures/two-workers-123mi.local.ndjson');
    fake.dialog.openAnswers.push({ canceled: false, filePaths: [path] }, { canceled: true, filePaths: [] });
    expect((await h.openRecording(undefined))?.path).toBe(path);
    expect(await h.openRecording(undefined)).toBeNull();
    fake.dialog.openAnswers.push({ canceled: false, filePaths: [join(dir, 'missing.ndjson')] });
    await expect(h.openRecording(undefined)).rejects.toMatchObject({ code: 'io' });
  });

  it('writes exports where the save dialog says (PNG decoded from base64)', async () => {
    const h = service().handlers();
    const png = join(dir, 'chart.png');
    fake.dialog.saveAnswers.push({ canceled: false, filePath: png });
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(await h.saveExport({ kind: 'png', suggestedName: 'chart.png', content: bytes.toString('base64') })).toEqual({ path: png });
    expect(readFileSync(png)).toEqual(bytes);
    expect(await h.saveExport({ kind: 'csv', suggestedName: 'x.csv', content: 'a,b\n' })).toBeNull();
  });

  it('saves a shared copy gzip-compressed, and only if it is a recording', async () => {
    const h = service().handlers();
    const text = readFileSync(join(root, 'scenarios/recordings/growing-allocator.ndjson'), 'utf8');
    const out = join(dir, 'shared.ndjson.gz');
    fake.dialog.saveAnswers.push({ canceled: false, filePath: out });
    expect(await h.saveSharedRecording({ suggestedName: 'shared.ndjson.gz', content: text })).toEqual({ path: out });
    expect(gunzipSync(readFileSync(out)).toString('utf8')).toBe(text);
    await expect(h.saveSharedRecording({ suggestedName: 'x.ndjson.gz', content: 'not a recording\n' })).rejects.toMatchObject({ code: 'recording-invalid' });
  });
});
