// The real lab engine behind the EnginePort: SSH (or the local transport),
// the host probe, the scenario library and runner. The rules it shares with
// the CLI live in lab/session/; its errors become IPC values in errors.ts.
// No 'electron' import: `oomlab ui` uses this exact adapter.

import type { HostEntry, IpcError, IpcErrorCode, ScenarioSummary, SshAlias } from '../ipc';
import type { HostFacts } from '../lab/host/facts';
import type { TargetKind } from '../lab/events';
import type { LoadedScenario } from '../lab/scenario/load';
import { probeHost } from '../lab/host/probe';
import { listHostKills } from '../lab/kernel/host-kills';
import { runScenario } from '../lab/scenario/runner';
import { hostProblem, type HostProblemCode } from '../lab/session/host-problem';
import { ScenarioLibrary, type ScenarioSource } from '../lab/session/scenario-library';
import { connectSsh, type ConnectOptions } from '../lab/ssh/connect';
import { LocalTransport } from '../lab/ssh/local';
import { SshTransport } from '../lab/ssh/ssh';
import type { Prompter } from '../lab/ssh/prompter';
import type { Transport } from '../lab/ssh/transport';
import type { ConnectAsk, ConnectProgress, EnginePort, RunRequest } from './engine-port';
import { classifyEngineError, UserError } from './errors';
import { listSshAliases } from './ssh-aliases';

export interface EngineOptions {
  appVersion: string;
  /** Bundled scenarios first, then the user's folder. */
  scenarioDirs: string[];
  /** Extra connect options (tests point these at a throwaway sshd's files). */
  connect?: Partial<ConnectOptions>;
  /** ~/.ssh/config by default. */
  sshConfigFile?: string;
}

export function createEngine(opts: EngineOptions): EnginePort {
  // Host keys trusted "once": for this app session only, never written to known_hosts.
  const trustedOnce = new Set<string>();
  const library = new ScenarioLibrary(opts.scenarioDirs.map((dir, i) => ({ dir, source: i === 0 ? 'bundled' : 'user' })));

  const listScenarios = async (): Promise<ScenarioSummary[]> =>
    (await library.list()).map((e) =>
      e.loaded
        ? summary(e.loaded, e.source)
        : { id: e.id, title: { en: e.file.split('/').pop()! }, summary: { en: '' }, file: e.file, source: e.source, targets: [], steps: [], params: [], invalid: e.error.message },
    );

  return {
    appVersion: opts.appVersion,

    async connect(host: HostEntry, ask: ConnectAsk, progress: (s: ConnectProgress) => void, signal: AbortSignal): Promise<Transport> {
      if (host.kind === 'local') return new LocalTransport();
      const prompter: Prompter = {
        password: (_user, h, attempt) => ask.password(h, attempt),
        passphrase: (keyFile, h, attempt) => ask.passphrase(keyFile, h, attempt),
        keyboardInteractive: (q) => ask.keyboardInteractive({ host: q.host, name: q.name, instructions: q.instructions, prompts: q.prompts }),
        unknownHostKey: async (info) => {
          // "Trust once" lasts for the app session: it is never written to known_hosts.
          const key = `${info.knownHostsName} ${info.fingerprint}`;
          if (trustedOnce.has(key)) return 'once';
          const decision = await ask.hostKey({ host: info.host, keyType: info.keyType, fingerprint: info.fingerprint, otherTypes: info.otherTypes, warning: info.warning });
          if (decision === 'once') trustedOnce.add(key);
          return decision === 'once' ? 'once' : decision === 'remember';
        },
      };
      const connecting = connectSsh(host.target, {
        ...(host.identityFile ? { identityFiles: [host.identityFile] } : {}),
        useAgent: host.useAgent,
        prompter,
        ...(opts.sshConfigFile ? { sshConfigFile: opts.sshConfigFile } : {}),
        ...opts.connect,
        // ssh2's debug stream is the only place the end of the key exchange shows.
        debug: (msg) => {
          if (/Handshake completed/i.test(msg)) progress('authenticating');
          opts.connect?.debug?.(msg);
        },
      });
      const transport = await abortable(connecting, signal, (t) => void t.close());
      return transport;
    },

    probe: (transport) => probeHost(transport),
    hostKills: (transport, facts, sinceSec) => listHostKills(transport, facts, { sinceSec }),

    listScenarios,
    scenarioFolder: opts.scenarioDirs.length > 1 ? opts.scenarioDirs.at(-1)! : null,

    async run(req: RunRequest): Promise<void> {
      const overrides = Object.fromEntries(Object.entries(req.params).map(([k, v]) => [k, String(v)]));
      const loaded = await library.byId(req.scenarioId, overrides);
      await runScenario({
        transport: req.transport,
        facts: req.facts,
        loaded,
        appVersion: opts.appVersion,
        runId: req.runId,
        onEvent: req.onEvent,
        beforeStep: req.beforeStep,
        signal: req.signal,
        // After a dropped link the runner reconnects once to remove what the run created.
        ...(req.transport instanceof SshTransport ? { reconnect: () => (req.transport as SshTransport).reconnect() } : {}),
      });
    },

    sshAliases: (): SshAlias[] => listSshAliases(opts.sshConfigFile),

    hostProblem(facts: HostFacts): IpcError | null {
      const p = hostProblem(facts);
      return p ? { code: IPC_CODE_BY_PROBLEM[p.problem], message: p.message, data: { host: p.host, next: p.hint! } } : null;
    },

    classify: classifyEngineError,
  };
}

const IPC_CODE_BY_PROBLEM: Record<HostProblemCode, IpcErrorCode> = {
  'no-memory-controller': 'host-missing-tool',
  'no-cgroup-permission': 'no-cgroup-permission',
  'no-kernel-log': 'host-missing-tool',
};

/** Which target drivers a scenario can run on, for the library's badges. */
function targetKindsOf(kind: string): TargetKind[] {
  if (kind === 'cgroup') return ['cgroup-v1', 'cgroup-v2'];
  if (kind === 'docker' || kind === 'pod') return [kind];
  return [];
}

function summary(l: LoadedScenario, source: ScenarioSource): ScenarioSummary {
  const s = l.scenario;
  return {
    id: s.id,
    title: s.title,
    summary: s.description ?? { en: '' },
    file: l.file,
    source,
    targets: targetKindsOf(s.target.kind),
    steps: s.steps.map((st) => ({ title: st.title, narration: st.narration ?? { en: '' } })),
    params: Object.entries(s.params).map(([name, p]) => ({
      name,
      label: p.description ?? { en: name },
      kind: p.type,
      default: l.params[name] ?? p.default,
    })),
    invalid: null,
  };
}

/** `p`, unless the user cancels first: then a transport that still arrives is closed. */
function abortable<T>(p: Promise<T>, signal: AbortSignal, discard: (v: T) => void): Promise<T> {
  if (signal.aborted) {
    void p.then(discard, () => undefined);
    return Promise.reject(new UserError('cancelled', 'Connection cancelled.'));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      void p.then(discard, () => undefined);
      reject(new UserError('cancelled', 'Connection cancelled.'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        if (signal.aborted) discard(v);
        else resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
