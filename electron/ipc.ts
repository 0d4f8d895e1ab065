// The one typed channel map between the main process and the renderer.
//
// - `requests`: renderer -> main, over invoke. Each has a zod schema that main
//   validates every payload against, and the type of its result.
// - `pushes`: main -> renderer streams (run events, connect progress, prompts).
//
// The preload's API object is built from this map by buildApi(), and its
// TypeScript type (OomlabApi) is derived from it: there is no second copy to
// keep in step. `oomlab ui` builds the very same object over HTTP (renderer/web/bridge.ts).

import { z } from 'zod';
import type { LabEvent, Locale, Localized, TargetKind } from './lab/events';
import type { HostFacts } from './lab/host/facts';
import type { HostKillList } from './lab/kernel/host-kills';

// ---------------------------------------------------------------------------
// values that cross the boundary

/** Errors cross IPC as values; `message` is for the user, `code` picks the advice shown with it. */
export type IpcErrorCode =
  | 'unreachable'
  | 'auth-failed'
  | 'host-key-changed'
  | 'host-key-rejected'
  | 'no-cgroup-permission'
  | 'host-missing-tool'
  | 'ssh-config'
  | 'probe-failed'
  | 'scenario-invalid'
  | 'invalid-input'
  | 'target-failed'
  | 'recording-invalid'
  | 'not-connected'
  | 'busy'
  | 'cancelled'
  | 'io'
  | 'invalid-request'
  | 'forbidden-sender'
  | 'internal';

export interface IpcError {
  code: IpcErrorCode;
  message: string;
  /** Structured specifics for the UI (fingerprints, file, line, host). */
  data?: Record<string, string>;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'letters, digits, _ . - (max 64)');
const locale = z.enum(['en', 'zh-CN']);
// A host spec or ssh config alias: no spaces, never starts with "-" (it must never look like an option).
const hostTarget = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[^\s-][^\s]*$/, 'no spaces, must not start with "-"');

export const hostInputSchema = z
  .object({
    id: id.optional(),
    label: z.string().trim().min(1).max(80),
    /** user@host[:port], or an alias from ~/.ssh/config. */
    target: hostTarget,
    identityFile: z.string().min(1).max(4096).nullable(),
    useAgent: z.boolean(),
    /** Keep the password/passphrase between launches (safeStorage only). Off unless the user turns it on. */
    rememberSecret: z.boolean(),
  })
  .strict();
export type HostInput = z.input<typeof hostInputSchema>;

export interface HostEntry {
  id: string;
  label: string;
  kind: 'local' | 'ssh';
  target: string;
  identityFile: string | null;
  useAgent: boolean;
  rememberSecret: boolean;
  /** A secret is stored (encrypted) for this host. */
  hasSavedSecret: boolean;
}

export interface SshAlias {
  alias: string;
  hostName: string | null;
  user: string | null;
  port: number | null;
  identityFile: string | null;
}

export interface Settings {
  /** null: follow the system. */
  locale: Locale | null;
  systemLocale: Locale;
  /** safeStorage can encrypt on this system (else secrets are never saved). */
  secretStorageAvailable: boolean;
  /** Why not: no cipher at all, or (Linux) no keyring, only safeStorage's fixed-key fallback. */
  secretStorageProblem: 'unavailable' | 'no-keyring' | null;
  appVersion: string;
  /** process.platform of main: "This computer" is offered only where the lab runs (linux). */
  platform: string;
  /** The user's own scenario folder, named in the library; null when the app has none. */
  scenarioFolder: string | null;
}

export interface ScenarioParam {
  name: string;
  label: Localized;
  /** As the scenario file declares it: a size (123Mi), a duration (20s), an integer or a string (e.g. a docker image). */
  kind: 'size' | 'duration' | 'integer' | 'string';
  default: number | string;
}

export interface ScenarioSummary {
  id: string;
  title: Localized;
  summary: Localized;
  file: string;
  source: 'bundled' | 'user';
  targets: TargetKind[];
  steps: Array<{ title: Localized; narration: Localized }>;
  params: ScenarioParam[];
  /** A scenario file that failed to load: file:line and the reason (it cannot be run). */
  invalid: string | null;
}

export interface OpenedRecording {
  name: string;
  path: string | null;
  text: string;
}

export interface DemoRecording {
  name: string;
  title: Localized;
  scenarioId: string;
  bytes: number;
}

export type PromptAnswer =
  | { kind: 'host-key'; decision: 'once' | 'remember' | 'cancel' }
  | { kind: 'secret'; value: string | null; remember: boolean }
  | { kind: 'keyboard-interactive'; responses: string[] | null };

export type Prompt = { promptId: string; hostId: string; host: string } & (
  /** otherTypes/warning: keys of other types are recorded for this host (OpenSSH warns; the default is cancel). */
  | { kind: 'host-key'; keyType: string; fingerprint: string; otherTypes: string[]; warning: string | null }
  | { kind: 'password' }
  | { kind: 'passphrase'; keyFile: string }
  | { kind: 'keyboard-interactive'; name: string; instructions: string; prompts: Array<{ prompt: string; echo: boolean }> }
);

export type ConnectStage = 'connecting' | 'authenticating' | 'probing' | 'connected' | 'failed' | 'disconnected';

export type RunPhase = 'running' | 'waiting' | 'stopping' | 'ended';

export type MenuCommand =
  | 'open-recording'
  | 'save-recording'
  | 'export-png'
  | 'export-csv'
  | 'export-html'
  | 'show-hosts'
  | 'show-scenarios'
  | 'show-player'
  | 'try-demo'
  | 'lang-en'
  | 'lang-zh-CN';

// ---------------------------------------------------------------------------
// the map

/** A request channel: its payload schema and (type-only) result. */
interface RequestSpec<S extends z.ZodType, R> {
  payload: S;
  /** Never read at runtime; carries the result type. */
  result?: R;
}
const req = <S extends z.ZodType>(payload: S) => ({ returns: <R>(): RequestSpec<S, R> => ({ payload }) });
const none = z.undefined();

export const requests = {
  getSettings: req(none).returns<Settings>(),
  setLocale: req(z.object({ locale: locale.nullable() }).strict()).returns<Settings>(),

  listHosts: req(none).returns<HostEntry[]>(),
  saveHost: req(hostInputSchema).returns<HostEntry>(),
  removeHost: req(z.object({ id }).strict()).returns<null>(),
  forgetSecret: req(z.object({ id }).strict()).returns<HostEntry>(),
  listSshAliases: req(none).returns<SshAlias[]>(),
  /** Open dialog for an identity file; null when the user cancelled. */
  pickIdentityFile: req(none).returns<{ path: string } | null>(),
  connectHost: req(z.object({ hostId: id }).strict()).returns<HostFacts>(),
  disconnectHost: req(z.object({ hostId: id }).strict()).returns<null>(),
  /** The OOM kills in a connected host's kernel log (read only), newest sinceSec seconds, each with its owner. */
  listHostKills: req(z.object({ hostId: id, sinceSec: z.number().int().positive().max(366 * 86400) }).strict()).returns<HostKillList>(),
  answerPrompt: req(
    z
      .object({
        promptId: id,
        answer: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('host-key'), decision: z.enum(['once', 'remember', 'cancel']) }).strict(),
          z.object({ kind: z.literal('secret'), value: z.string().max(4096).nullable(), remember: z.boolean() }).strict(),
          z.object({ kind: z.literal('keyboard-interactive'), responses: z.array(z.string().max(4096)).max(16).nullable() }).strict(),
        ]),
      })
      .strict(),
  ).returns<null>(),

  listScenarios: req(none).returns<ScenarioSummary[]>(),
  startRun: req(
    z
      .object({
        hostId: id,
        scenarioId: id,
        params: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,40}$/), z.union([z.number().finite(), z.string().max(200)])),
        pauseBetweenSteps: z.boolean(),
      })
      .strict(),
  ).returns<{ runId: string }>(),
  continueRun: req(z.object({ runId: id }).strict()).returns<null>(),
  stopRun: req(z.object({ runId: id }).strict()).returns<null>(),
  /** Save dialog for the run's recording; null when the user cancelled. */
  saveRunRecording: req(z.object({ runId: id }).strict()).returns<{ path: string } | null>(),

  /** Open dialog; null when the user cancelled. The renderer parses the text with the recording reader. */
  openRecording: req(none).returns<OpenedRecording | null>(),
  listDemoRecordings: req(none).returns<DemoRecording[]>(),
  openDemoRecording: req(z.object({ name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,100}$/) }).strict()).returns<OpenedRecording>(),
  /** Save dialog for a copy fit to share, redacted by the renderer (recording/redact.ts); checked, then written (gzip for .gz). */
  saveSharedRecording: req(
    z
      .object({
        suggestedName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_. -]{0,100}$/),
        content: z.string().max(64 * 1024 * 1024),
      })
      .strict(),
  ).returns<{ path: string } | null>(),
  saveExport: req(
    z
      .object({
        kind: z.enum(['png', 'csv', 'html']),
        suggestedName: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_. -]{0,100}$/),
        /** base64 for png, text otherwise. 64 MiB is far beyond any real run. */
        content: z.string().max(64 * 1024 * 1024),
      })
      .strict(),
  ).returns<{ path: string } | null>(),
} as const;

/** A push channel: main -> renderer, type-only payload. */
interface PushSpec<P> {
  payload?: P;
}
const push = <P>(): PushSpec<P> => ({});

export const pushes = {
  connectProgress: push<{ hostId: string; stage: ConnectStage; message: string | null }>(),
  prompt: push<Prompt>(),
  /** Prompts that ended without an answer (connection dropped, timed out). */
  promptClosed: push<{ promptId: string }>(),
  runEvents: push<{ runId: string; events: LabEvent[] }>(),
  runPhase: push<{ runId: string; phase: RunPhase; nextStep: number | null }>(),
  menu: push<{ command: MenuCommand }>(),
} as const;

// ---------------------------------------------------------------------------
// derived types and names

export type Requests = typeof requests;
export type RequestName = keyof Requests;
export type PushName = keyof typeof pushes;
export type PayloadOf<K extends RequestName> = z.input<Requests[K]['payload']>;
export type ParsedPayloadOf<K extends RequestName> = z.output<Requests[K]['payload']>;
export type ResultOf<K extends RequestName> = NonNullable<Requests[K]['result']> | (null extends Requests[K]['result'] ? null : never);
export type PushPayloadOf<K extends PushName> = NonNullable<(typeof pushes)[K]['payload']>;

export type OomlabApi = {
  [K in RequestName]: (...args: PayloadOf<K> extends undefined ? [] : [payload: PayloadOf<K>]) => Promise<IpcResult<ResultOf<K>>>;
} & {
  on: { [K in PushName]: (listener: (payload: PushPayloadOf<K>) => void) => () => void };
};

export const requestChannel = (name: RequestName) => `oomlab:${name}` as const;
export const pushChannel = (name: PushName) => `oomlab:push:${name}` as const;
export const requestNames = Object.keys(requests) as RequestName[];
export const pushNames = Object.keys(pushes) as PushName[];

/** Name of the global the preload exposes (window.oomlab). */
export const API_GLOBAL = 'oomlab';

export interface ApiTransport {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

/** The API object, built from the map over any transport (ipcRenderer in the preload, HTTP under `oomlab ui`). */
export function buildApi(transport: ApiTransport): OomlabApi {
  const api: Record<string, unknown> = {};
  for (const name of requestNames) {
    const channel = requestChannel(name);
    api[name] = (payload?: unknown) => transport.invoke(channel, payload);
  }
  const on: Record<string, unknown> = {};
  for (const name of pushNames) {
    const channel = pushChannel(name);
    on[name] = (listener: (p: unknown) => void) => transport.subscribe(channel, listener);
  }
  api.on = on;
  return api as OomlabApi;
}

/** Reverse lookup for main: which request a channel is, or null. */
export function requestNameOf(channel: string): RequestName | null {
  const name = channel.startsWith('oomlab:') ? channel.slice('oomlab:'.length) : '';
  return Object.hasOwn(requests, name) ? (name as RequestName) : null;
}
