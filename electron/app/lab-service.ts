// The main process's side of every request in the channel map: hosts,
// connections and their prompts (with the secret vault), exports; runs live in
// runs.ts, recording files in recordings.ts. Plain Node: the Electron-specific
// pieces (dialogs, safeStorage, webContents.send) come in as small interfaces,
// so `oomlab ui` (electron/web/) runs these very handlers.

import { randomBytes } from 'node:crypto';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECORDING_EXTENSION } from '../lab/recording/format';
import { parseRecording } from '../lab/recording/parse';
import { gzipSync } from 'node:zlib';
import type { LabEvent, Locale } from '../lab/events';
import type { HostFacts } from '../lab/host/facts';
import type { Transport } from '../lab/ssh/transport';
import type { HostEntry, Prompt, PromptAnswer, Settings } from '../ipc';
import type { Handlers } from './dispatch';
import type { ConnectAsk, EnginePort } from './engine-port';
import { UserError } from './errors';
import { listDemos, readRecordingFile } from './recordings';
import { Runs, type Push } from './runs';
import { SecretVault, type SecretCipher, type SecretSlot } from './secrets';
import { JsonStore, type StoredHost } from './store';

export type SaveKind = 'recording' | 'png' | 'csv' | 'html';

/** Native dialogs (Electron's dialog module in the app). null = cancelled. */
export interface Dialogs {
  openRecording(): Promise<string | null>;
  saveFile(kind: SaveKind, suggestedName: string): Promise<string | null>;
  openIdentityFile(): Promise<string | null>;
}

export interface LabServiceDeps {
  engine: EnginePort;
  dialogs: Dialogs;
  push: Push;
  /** Where hosts.json, settings.json, secrets.json and autosaved recordings live. */
  dataDir: string;
  /** Bundled demo recordings (scenarios/recordings). */
  demoDir: string;
  systemLocale: Locale;
  cipher: SecretCipher | null;
  log(msg: string): void;
  /** process.platform unless a test says otherwise. */
  platform?: string;
  /** How often buffered run events are pushed (ms). */
  pushIntervalMs?: number;
}

export const LOCAL_HOST_ID = 'local';

interface Connection {
  state: 'connecting' | 'connected';
  abort: AbortController;
  transport: Transport | null;
  facts: HostFacts | null;
  runId: string | null;
}

export class LabService {
  readonly store: JsonStore;
  readonly vault: SecretVault;
  private readonly connections = new Map<string, Connection>();
  private readonly prompts = new Map<string, { hostId: string; resolve: (a: PromptAnswer | null) => void; kind: Prompt['kind'] }>();
  private readonly runs: Runs;

  constructor(private readonly deps: LabServiceDeps) {
    this.store = new JsonStore(deps.dataDir, deps.log);
    this.vault = new SecretVault(this.store, deps.cipher);
    this.runs = new Runs(deps);
  }

  /** The request handlers, one per channel of the map. */
  handlers(): Handlers {
    return {
      getSettings: async () => this.settings(),
      setLocale: async ({ locale }) => {
        this.store.saveSettings({ locale });
        return this.settings();
      },
      listHosts: async () => this.hosts(),
      saveHost: async (input) => {
        const hosts = this.store.hosts();
        if (input.id === LOCAL_HOST_ID) throw new UserError('invalid-request', 'The local host cannot be edited.');
        const id = input.id ?? newId('h');
        const entry: StoredHost = {
          id,
          label: input.label,
          target: input.target,
          identityFile: input.identityFile,
          useAgent: input.useAgent,
          rememberSecret: input.rememberSecret && this.vault.canPersist,
        };
        const i = hosts.findIndex((h) => h.id === id);
        if (input.id !== undefined && i < 0) throw new UserError('invalid-request', `No saved host with id ${input.id}.`);
        if (i >= 0) hosts[i] = entry;
        else hosts.push(entry);
        this.store.saveHosts(hosts);
        if (!entry.rememberSecret) this.vault.forget(id);
        return this.entry(entry);
      },
      removeHost: async ({ id }) => {
        await this.disconnect(id);
        this.store.saveHosts(this.store.hosts().filter((h) => h.id !== id));
        this.vault.forget(id);
        return null;
      },
      forgetSecret: async ({ id }) => {
        this.vault.forget(id);
        return this.hostById(id);
      },
      listSshAliases: async () => this.deps.engine.sshAliases(),
      pickIdentityFile: async () => {
        const path = await this.deps.dialogs.openIdentityFile();
        return path ? { path } : null;
      },
      connectHost: async ({ hostId }) => this.connect(hostId),
      disconnectHost: async ({ hostId }) => {
        await this.disconnect(hostId);
        return null;
      },
      listHostKills: async ({ hostId, sinceSec }) => {
        const conn = this.connections.get(hostId);
        if (!conn || conn.state !== 'connected' || !conn.transport || !conn.facts) throw new UserError('not-connected', `Connect to ${this.hostById(hostId).label} first.`);
        return this.deps.engine.hostKills(conn.transport, conn.facts, sinceSec);
      },
      answerPrompt: async ({ promptId, answer }) => {
        const p = this.prompts.get(promptId);
        if (!p) throw new UserError('cancelled', 'That question is no longer open (the connection attempt ended).');
        const expected = p.kind === 'host-key' ? 'host-key' : p.kind === 'keyboard-interactive' ? 'keyboard-interactive' : 'secret';
        if (answer.kind !== expected) throw new UserError('invalid-request', `prompt ${promptId} expects a ${expected} answer`);
        this.prompts.delete(promptId);
        p.resolve(answer);
        return null;
      },
      listScenarios: async () => this.deps.engine.listScenarios(),
      startRun: async (r) => this.startRun(r.hostId, r.scenarioId, r.params, r.pauseBetweenSteps),
      continueRun: async ({ runId }) => {
        this.runs.get(runId).release?.();
        return null;
      },
      stopRun: async ({ runId }) => {
        await this.runs.stop(this.runs.get(runId));
        return null;
      },
      saveRunRecording: async ({ runId }) => {
        const run = this.runs.get(runId);
        await run.recorder.flush();
        const path = await this.deps.dialogs.saveFile('recording', `${run.scenarioId}-${runId}${RECORDING_EXTENSION}`);
        if (!path) return null;
        copyFileSync(run.recorder.path, path);
        return { path };
      },
      openRecording: async () => {
        const path = await this.deps.dialogs.openRecording();
        return path ? readRecordingFile(path) : null;
      },
      listDemoRecordings: async () => listDemos(this.deps.demoDir, this.deps.log),
      openDemoRecording: async ({ name }) => {
        if (!listDemos(this.deps.demoDir, this.deps.log).some((d) => d.name === name)) throw new UserError('recording-invalid', `No bundled recording named ${name}.`);
        return readRecordingFile(join(this.deps.demoDir, name));
      },
      saveSharedRecording: async ({ suggestedName, content }) => {
        // Only a recording goes out under a recording's name.
        try {
          parseRecording(content, suggestedName);
        } catch (e) {
          throw new UserError('recording-invalid', (e as Error).message);
        }
        const path = await this.deps.dialogs.saveFile('recording', suggestedName);
        if (!path) return null;
        writeFileSync(path, path.endsWith('.gz') ? gzipSync(content) : content);
        return { path };
      },
      saveExport: async ({ kind, suggestedName, content }) => {
        const path = await this.deps.dialogs.saveFile(kind, suggestedName);
        if (!path) return null;
        writeFileSync(path, kind === 'png' ? Buffer.from(content, 'base64') : content);
        return { path };
      },
    };
  }

  // ------------------------------------------------------------------ settings and hosts

  settings(): Settings {
    return {
      locale: this.store.settings().locale,
      systemLocale: this.deps.systemLocale,
      secretStorageAvailable: this.vault.canPersist,
      secretStorageProblem: this.vault.problem,
      appVersion: this.deps.engine.appVersion,
      platform: this.deps.platform ?? process.platform,
      scenarioFolder: this.deps.engine.scenarioFolder,
    };
  }

  hosts(): HostEntry[] {
    const local: HostEntry = {
      id: LOCAL_HOST_ID,
      label: 'This computer',
      kind: 'local',
      target: 'local',
      identityFile: null,
      useAgent: false,
      rememberSecret: false,
      hasSavedSecret: false,
    };
    return [local, ...this.store.hosts().map((h) => this.entry(h))];
  }

  private entry(h: StoredHost): HostEntry {
    return { ...h, kind: 'ssh', hasSavedSecret: this.vault.hasSaved(h.id) };
  }

  private hostById(id: string): HostEntry {
    const h = this.hosts().find((x) => x.id === id);
    if (!h) throw new UserError('invalid-request', `No host with id ${id}.`);
    return h;
  }

  // ------------------------------------------------------------------ connections

  private async connect(hostId: string): Promise<HostFacts> {
    const host = this.hostById(hostId);
    const existing = this.connections.get(hostId);
    if (existing?.state === 'connecting') throw new UserError('busy', `Already connecting to ${host.label}.`);
    if (existing?.state === 'connected' && existing.facts) return existing.facts;
    const conn: Connection = { state: 'connecting', abort: new AbortController(), transport: null, facts: null, runId: null };
    this.connections.set(hostId, conn);
    const progress = (stage: 'connecting' | 'authenticating' | 'probing') => this.deps.push('connectProgress', { hostId, stage, message: null });
    try {
      progress('connecting');
      const transport = await this.deps.engine.connect(host, this.askFor(host), progress, conn.abort.signal);
      conn.transport = transport;
      if (conn.abort.signal.aborted) throw new UserError('cancelled', 'Connection cancelled.');
      progress('probing');
      const facts = await this.deps.engine.probe(transport);
      conn.facts = facts;
      conn.state = 'connected';
      transport.onDisconnect((err) => {
        if (this.connections.get(hostId) !== conn) return;
        this.connections.delete(hostId);
        this.deps.push('connectProgress', { hostId, stage: 'disconnected', message: err.message });
      });
      this.deps.push('connectProgress', { hostId, stage: 'connected', message: null });
      return facts;
    } catch (e) {
      // Cancelled (disconnectHost during the connect): that already said "disconnected", and a new attempt may own the slot.
      const cancelled = this.connections.get(hostId) !== conn;
      if (!cancelled) this.connections.delete(hostId);
      this.closePrompts(hostId);
      await conn.transport?.close().catch(() => undefined);
      if (!cancelled) this.deps.push('connectProgress', { hostId, stage: 'failed', message: e instanceof Error ? e.message : String(e) });
      throw e;
    }
  }

  private async disconnect(hostId: string): Promise<void> {
    const conn = this.connections.get(hostId);
    if (!conn) return;
    if (conn.runId && this.runs.isLive(conn.runId)) {
      const run = this.runs.get(conn.runId);
      run.abort.abort();
      run.release?.();
      await run.done;
    }
    this.connections.delete(hostId);
    conn.abort.abort();
    this.closePrompts(hostId);
    await conn.transport?.close().catch(() => undefined);
    this.deps.push('connectProgress', { hostId, stage: 'disconnected', message: null });
  }

  /**
   * The questions of one connect attempt, asked through prompt pushes. A saved
   * secret answers only the question it was typed for: a password is kept per
   * user@host:port (a jump host's never reaches the target), a passphrase per
   * key file and never answers a password question.
   */
  private askFor(host: HostEntry): ConnectAsk {
    const answer = async (slot: SecretSlot, attempt: number, prompt: Prompt & ({ kind: 'password' } | { kind: 'passphrase' })): Promise<string | null> => {
      if (attempt > 1) this.vault.dropFromMemory(host.id, slot);
      const saved = attempt <= 1 ? this.vault.get(host.id, slot) : null;
      if (saved !== null) return saved;
      const a = await this.ask(prompt);
      if (!a || a.kind !== 'secret' || a.value === null) return null;
      this.vault.set(host.id, slot, a.value, a.remember && host.rememberSecret);
      return a.value;
    };
    return {
      hostKey: async (q) => {
        const a = await this.ask({ promptId: newId('p'), hostId: host.id, kind: 'host-key', ...q });
        return a?.kind === 'host-key' ? a.decision : 'cancel';
      },
      password: (h, attempt) => answer({ kind: 'password', host: h }, attempt, { promptId: newId('p'), hostId: host.id, host: h, kind: 'password' }),
      passphrase: (keyFile, h, attempt) =>
        answer({ kind: 'passphrase', host: h, keyFile }, attempt, { promptId: newId('p'), hostId: host.id, host: h, kind: 'passphrase', keyFile }),
      keyboardInteractive: async (q) => {
        const a = await this.ask({ promptId: newId('p'), hostId: host.id, ...q, kind: 'keyboard-interactive' });
        return a?.kind === 'keyboard-interactive' ? a.responses : null;
      },
    };
  }

  private ask(prompt: Prompt): Promise<PromptAnswer | null> {
    const conn = this.connections.get(prompt.hostId);
    if (!conn || conn.abort.signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.prompts.set(prompt.promptId, { hostId: prompt.hostId, resolve, kind: prompt.kind });
      this.deps.push('prompt', prompt);
    });
  }

  private closePrompts(hostId: string): void {
    for (const [id, p] of this.prompts) {
      if (p.hostId !== hostId) continue;
      this.prompts.delete(id);
      p.resolve(null);
      this.deps.push('promptClosed', { promptId: id });
    }
  }

  /** Open prompts (for tests). */
  openPrompts(): string[] {
    return [...this.prompts.keys()];
  }

  // ------------------------------------------------------------------ runs

  private startRun(hostId: string, scenarioId: string, params: Record<string, number | string>, pauseBetweenSteps: boolean) {
    const conn = this.connections.get(hostId);
    if (!conn || conn.state !== 'connected' || !conn.transport || !conn.facts) {
      throw new UserError('not-connected', `Connect to ${this.hostById(hostId).label} first.`);
    }
    if (this.runs.isLive(conn.runId)) throw new UserError('busy', 'A run is already going on this host; stop it first.');
    const run = this.runs.start({ hostId, transport: conn.transport, facts: conn.facts, scenarioId, params, pauseBetweenSteps });
    conn.runId = run.id;
    return { runId: run.id };
  }

  /** Events of a run so far (tests read them). */
  runEvents(runId: string): readonly LabEvent[] {
    return this.runs.get(runId).events;
  }

  /** Stop every run and close every connection (app quit). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.connections.keys()].map((id) => this.disconnect(id)));
  }
}

function newId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}
