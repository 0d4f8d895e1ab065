// The main process's side of every request in the channel map: hosts,
// connections and their prompts, runs, recordings, exports. Plain Node: the
// Electron-specific pieces (dialogs, safeStorage, webContents.send) come in
// as small interfaces, so `oomlab ui` (electron/web/) runs these very handlers.

import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, mkdirSync, openSync, readFileSync, readSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { LabEvent, Locale } from '../lab/events';
import type { HostFacts } from '../lab/host/facts';
import type { Transport } from '../lab/ssh/transport';
import { headerFromRunStart } from '../lab/recording/format';
import { RecordingWriter } from '../lab/recording/writer';
import type { DemoRecording, HostEntry, OpenedRecording, Prompt, PromptAnswer, PushName, PushPayloadOf, RunPhase, Settings } from '../ipc';
import type { Handlers } from './dispatch';
import type { ConnectAsk, EnginePort } from './engine-port';
import { UserError } from './errors';
import { SecretVault, type SecretCipher } from './secrets';
import { JsonStore, type StoredHost } from './store';

export type SaveKind = 'recording' | 'png' | 'csv' | 'html';

/** Native dialogs (Electron's dialog module in the app). null = cancelled. */
export interface Dialogs {
  openRecording(): Promise<string | null>;
  saveFile(kind: SaveKind, suggestedName: string): Promise<string | null>;
}

export type Push = <K extends PushName>(name: K, payload: PushPayloadOf<K>) => void;

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
  /** How often buffered run events are pushed (ms). */
  pushIntervalMs?: number;
}

export const LOCAL_HOST_ID = 'local';
const MAX_RECORDING_BYTES = 512 * 1024 * 1024;

interface Connection {
  state: 'connecting' | 'connected';
  abort: AbortController;
  transport: Transport | null;
  facts: HostFacts | null;
  runId: string | null;
}

interface RunState {
  id: string;
  hostId: string;
  phase: RunPhase;
  abort: AbortController;
  events: LabEvent[];
  buffer: LabEvent[];
  timer: NodeJS.Timeout | null;
  writer: RecordingWriter | null;
  autosave: string;
  scenarioId: string;
  release: (() => void) | null;
  done: Promise<void>;
}

export class LabService {
  readonly store: JsonStore;
  readonly vault: SecretVault;
  private readonly connections = new Map<string, Connection>();
  private readonly prompts = new Map<string, { hostId: string; resolve: (a: PromptAnswer | null) => void; kind: Prompt['kind'] }>();
  private readonly runs = new Map<string, RunState>();

  constructor(private readonly deps: LabServiceDeps) {
    this.store = new JsonStore(deps.dataDir, deps.log);
    this.vault = new SecretVault(this.store, deps.cipher);
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
      connectHost: async ({ hostId }) => this.connect(hostId),
      disconnectHost: async ({ hostId }) => {
        await this.disconnect(hostId);
        return null;
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
        const run = this.run(runId);
        run.release?.();
        return null;
      },
      stopRun: async ({ runId }) => {
        const run = this.run(runId);
        if (run.phase !== 'ended') {
          this.setPhase(run, 'stopping', null);
          run.abort.abort();
          run.release?.();
        }
        await run.done;
        return null;
      },
      saveRunRecording: async ({ runId }) => {
        const run = this.run(runId);
        run.writer?.flush();
        const path = await this.deps.dialogs.saveFile('recording', `${run.scenarioId}-${runId}.ndjson`);
        if (!path) return null;
        copyFileSync(run.autosave, path);
        return { path };
      },
      openRecording: async () => {
        const path = await this.deps.dialogs.openRecording();
        return path ? readRecordingFile(path) : null;
      },
      listDemoRecordings: async () => this.demos(),
      openDemoRecording: async ({ name }) => {
        if (!this.demos().some((d) => d.name === name)) throw new UserError('recording-invalid', `No bundled recording named ${name}.`);
        return readRecordingFile(join(this.deps.demoDir, name));
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
      appVersion: this.deps.engine.appVersion,
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
      this.connections.delete(hostId);
      this.closePrompts(hostId);
      await conn.transport?.close().catch(() => undefined);
      this.deps.push('connectProgress', { hostId, stage: 'failed', message: e instanceof Error ? e.message : String(e) });
      throw e;
    }
  }

  private async disconnect(hostId: string): Promise<void> {
    const conn = this.connections.get(hostId);
    if (!conn) return;
    if (conn.runId) {
      const run = this.runs.get(conn.runId);
      if (run && run.phase !== 'ended') {
        run.abort.abort();
        run.release?.();
        await run.done;
      }
    }
    this.connections.delete(hostId);
    conn.abort.abort();
    this.closePrompts(hostId);
    await conn.transport?.close().catch(() => undefined);
    this.deps.push('connectProgress', { hostId, stage: 'disconnected', message: null });
  }

  /** The questions of one connect attempt, asked through prompt pushes. */
  private askFor(host: HostEntry): ConnectAsk {
    const secretOnce = (attempt: number): string | null => (attempt <= 1 ? this.vault.get(host.id) : null);
    const askSecret = async (prompt: Prompt & ({ kind: 'password' } | { kind: 'passphrase' })): Promise<string | null> => {
      const a = await this.ask(prompt);
      if (!a || a.kind !== 'secret' || a.value === null) return null;
      this.vault.set(host.id, a.value, a.remember && host.rememberSecret);
      return a.value;
    };
    return {
      hostKey: async (q) => {
        const a = await this.ask({ promptId: newId('p'), hostId: host.id, host: q.host, kind: 'host-key', keyType: q.keyType, fingerprint: q.fingerprint });
        return a?.kind === 'host-key' ? a.decision : 'cancel';
      },
      password: async (h, attempt) => {
        if (attempt > 1) this.vault.dropFromMemory(host.id);
        return secretOnce(attempt) ?? askSecret({ promptId: newId('p'), hostId: host.id, host: h, kind: 'password' });
      },
      passphrase: async (keyFile, h, attempt) => {
        if (attempt > 1) this.vault.dropFromMemory(host.id);
        return secretOnce(attempt) ?? askSecret({ promptId: newId('p'), hostId: host.id, host: h, kind: 'passphrase', keyFile });
      },
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

  private async startRun(hostId: string, scenarioId: string, params: Record<string, number | string>, pauseBetweenSteps: boolean) {
    const conn = this.connections.get(hostId);
    if (!conn || conn.state !== 'connected' || !conn.transport || !conn.facts) {
      throw new UserError('not-connected', `Connect to ${this.hostById(hostId).label} first.`);
    }
    if (conn.runId && this.runs.get(conn.runId)?.phase !== 'ended') throw new UserError('busy', 'A run is already going on this host; stop it first.');
    const problem = this.deps.engine.hostProblem(conn.facts);
    if (problem) throw new UserError(problem.code, problem.message, problem.data);
    const id = newRunId();
    const autosaveDir = join(this.deps.dataDir, 'recordings');
    mkdirSync(autosaveDir, { recursive: true });
    let finish!: () => void;
    const run: RunState = {
      id,
      hostId,
      phase: 'running',
      abort: new AbortController(),
      events: [],
      buffer: [],
      timer: null,
      writer: null,
      autosave: join(autosaveDir, `${id}.ndjson`),
      scenarioId,
      release: null,
      done: new Promise<void>((r) => (finish = r)),
    };
    this.runs.set(id, run);
    conn.runId = id;
    this.setPhase(run, 'running', null);

    const onEvent = (e: LabEvent) => {
      if (e.kind === 'run-start' && !run.writer) run.writer = new RecordingWriter(run.autosave, headerFromRunStart(e));
      run.writer?.write(e);
      run.events.push(e);
      run.buffer.push(e);
      run.timer ??= setTimeout(() => this.flushRun(run), this.deps.pushIntervalMs ?? 50);
    };
    const beforeStep = async (index: number) => {
      if (!pauseBetweenSteps || index === 0 || run.abort.signal.aborted) return;
      this.flushRun(run);
      this.setPhase(run, 'waiting', index);
      await new Promise<void>((r) => (run.release = r));
      run.release = null;
      if (!run.abort.signal.aborted) this.setPhase(run, 'running', null);
    };

    void this.deps.engine
      .run({ transport: conn.transport, facts: conn.facts, scenarioId, params, runId: id, onEvent, beforeStep, signal: run.abort.signal })
      .catch((e) => {
        const err = this.deps.engine.classify(e) ?? { code: 'internal', message: (e as Error).message };
        if (err.code === 'internal') this.deps.log(`run ${id}: ${(e as Error).stack ?? e}`);
        onEvent({ kind: 'error', t: run.events.at(-1)?.t ?? 0, message: err.message });
      })
      .finally(() => {
        this.flushRun(run);
        run.writer?.end();
        this.setPhase(run, 'ended', null);
        finish();
      });
    return { runId: id };
  }

  private flushRun(run: RunState): void {
    if (run.timer) clearTimeout(run.timer);
    run.timer = null;
    if (run.buffer.length === 0) return;
    const events = run.buffer;
    run.buffer = [];
    this.deps.push('runEvents', { runId: run.id, events });
  }

  private setPhase(run: RunState, phase: RunPhase, nextStep: number | null): void {
    run.phase = phase;
    this.deps.push('runPhase', { runId: run.id, phase, nextStep });
  }

  private run(runId: string): RunState {
    const r = this.runs.get(runId);
    if (!r) throw new UserError('invalid-request', `No run ${runId} in this session.`);
    return r;
  }

  /** Events of a run so far (tests read them). */
  runEvents(runId: string): readonly LabEvent[] {
    return this.run(runId).events;
  }

  // ------------------------------------------------------------------ recordings

  private demos(): DemoRecording[] {
    let names: string[];
    try {
      names = readdirSync(this.deps.demoDir).filter((n) => n.endsWith('.ndjson')).sort();
    } catch {
      return [];
    }
    return names.flatMap((name) => {
      const file = join(this.deps.demoDir, name);
      try {
        const head = JSON.parse(firstLine(file)) as { scenario?: { id?: string; title?: { en: string } } };
        return [{ name, title: head.scenario?.title ?? { en: name }, scenarioId: head.scenario?.id ?? '', bytes: statSync(file).size }];
      } catch {
        this.deps.log(`${file}: not a recording, not listed`);
        return [];
      }
    });
  }

  /** Stop every run and close every connection (app quit). */
  async shutdown(): Promise<void> {
    await Promise.all([...this.connections.keys()].map((id) => this.disconnect(id)));
  }
}

function readRecordingFile(path: string): OpenedRecording {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    throw new UserError('io', `Cannot open ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`);
  }
  if (size > MAX_RECORDING_BYTES) throw new UserError('recording-invalid', `${path} is ${Math.round(size / 2 ** 20)} MiB; recordings larger than 512 MiB are not opened.`);
  return { name: basename(path), path, text: readFileSync(path, 'utf8') };
}

/** The header line only: demo recordings can be megabytes. */
function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(256 * 1024);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const text = buf.subarray(0, n).toString('utf8');
    const nl = text.indexOf('\n');
    return nl < 0 ? text : text.slice(0, nl);
  } finally {
    closeSync(fd);
  }
}

function newId(prefix: string): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

function newRunId(): string {
  const d = new Date();
  const stamp = d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `r${stamp}-${randomBytes(3).toString('hex')}`;
}
