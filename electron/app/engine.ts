// The real lab engine behind the EnginePort: SSH (or the local transport),
// the host probe, the scenario loader and runner. Also turns the engine's
// expected errors into IPC error values. No 'electron' import: `oomlab ui`
// uses this exact adapter.

import { existsSync, readFileSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { HostEntry, IpcError, ScenarioSummary, SshAlias } from '../ipc';
import type { HostFacts } from '../lab/host/facts';
import type { TargetKind } from '../lab/events';
import { RecordingError } from '../lab/recording/parse';
import { loadScenario, ScenarioError, type LoadedScenario } from '../lab/scenario/load';
import { probeHost, ProbeError } from '../lab/host/probe';
import { ProbeParseError } from '../lab/host/parse';
import { runScenario } from '../lab/scenario/runner';
import { connectSsh, type ConnectOptions } from '../lab/ssh/connect';
import { AuthError, ConnectionError, HostKeyError, SshConfigError, SudoRefusedError } from '../lab/ssh/errors';
import { LocalTransport } from '../lab/ssh/local';
import { SshTransport } from '../lab/ssh/ssh';
import type { HostKeyInfo, Prompter } from '../lab/ssh/prompter';
import { TimeoutError, type Transport } from '../lab/ssh/transport';
import type { ConnectAsk, ConnectProgress, EnginePort, RunRequest } from './engine-port';
import { UserError } from './errors';
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
  const scenarioFiles = new Map<string, string>();

  const listScenarios = async (): Promise<ScenarioSummary[]> => {
    const out: ScenarioSummary[] = [];
    for (const [i, dir] of opts.scenarioDirs.entries()) {
      const source = i === 0 ? 'bundled' : 'user';
      let files: string[] = [];
      try {
        files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
      } catch {
        continue; // the user folder may not exist
      }
      for (const f of files) {
        const file = join(dir, f);
        try {
          const loaded = await loadScenario(file);
          if (scenarioFiles.has(loaded.scenario.id) && scenarioFiles.get(loaded.scenario.id) !== file) continue; // bundled wins
          scenarioFiles.set(loaded.scenario.id, file);
          out.push(summary(loaded, source));
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          const id = f.replace(/\.ya?ml$/, '').replace(/[^A-Za-z0-9_.-]/g, '-');
          out.push({ id, title: { en: f }, summary: { en: '' }, file, source, targets: [], steps: [], params: [], invalid: e.message });
        }
      }
    }
    return out;
  };

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
          const decision = await ask.hostKey({ host: info.host, keyType: info.keyType, fingerprint: info.fingerprint });
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

    listScenarios,

    async run(req: RunRequest): Promise<void> {
      if (scenarioFiles.size === 0) await listScenarios();
      const file = scenarioFiles.get(req.scenarioId);
      if (!file) throw new UserError('scenario-invalid', `No scenario with id ${req.scenarioId}.`);
      const overrides = Object.fromEntries(Object.entries(req.params).map(([k, v]) => [k, String(v)]));
      const loaded = await loadScenario(file, overrides);
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
      if (!facts.canCreateCgroup) {
        return { code: 'no-cgroup-permission', message: `${facts.host}: cannot create memory cgroups (${facts.problems.join('; ') || 'not root and no sudo -n'}).`, data: { host: facts.host } };
      }
      if (facts.kernelLog.length === 0) {
        return { code: 'host-missing-tool', message: `${facts.host}: the kernel log cannot be read (no /dev/kmsg, dmesg or journalctl access), so OOM kills would go unseen.`, data: { host: facts.host } };
      }
      return null;
    },

    classify: classifyEngineError,
  };
}

/** Which target drivers a scenario can run on, for the library's badges. */
function targetKindsOf(kind: string): TargetKind[] {
  if (kind === 'cgroup') return ['cgroup-v1', 'cgroup-v2'];
  if (kind === 'docker' || kind === 'pod') return [kind];
  return [];
}

function summary(l: LoadedScenario, source: 'bundled' | 'user'): ScenarioSummary {
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

/**
 * "Trust once": the SSH layer records every key the prompter accepts, so the
 * line it appends is taken out again right after (the append happens
 * synchronously once our answer resolves). The key stays trusted for this
 * app session through `trustedOnce`.
 */
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

/** The engine's expected failures, in plain words; null means a bug. */
export function classifyEngineError(e: unknown): IpcError | null {
  if (e instanceof HostKeyError) {
    if (e.problem === 'unknown') return { code: 'host-key-rejected', message: e.message, data: { host: e.host, fingerprint: e.fingerprint, keyType: e.keyType } };
    return {
      code: 'host-key-changed',
      message: e.message,
      data: {
        host: e.host,
        fingerprint: e.fingerprint,
        keyType: e.keyType,
        problem: e.problem,
        recorded: e.recorded.map((r) => `${r.fingerprint} (${r.where})`).join(', '),
        knownHostsName: hostKeyNameOf(e.host),
      },
    };
  }
  if (e instanceof AuthError) return { code: 'auth-failed', message: e.message, data: { host: e.host, tried: e.tried.join(', ') } };
  if (e instanceof SudoRefusedError) return { code: 'no-cgroup-permission', message: e.message, data: { host: e.host } };
  if (e instanceof SshConfigError) return { code: 'ssh-config', message: e.message, data: { host: e.host } };
  if (e instanceof ConnectionError) return { code: 'unreachable', message: e.message, data: { host: e.host } };
  if (e instanceof TimeoutError) return { code: 'unreachable', message: e.message };
  if (e instanceof ProbeError || e instanceof ProbeParseError) return { code: 'probe-failed', message: e.message };
  if (e instanceof ScenarioError) return { code: 'scenario-invalid', message: e.message, data: { file: e.file } };
  if (e instanceof RecordingError) return { code: 'recording-invalid', message: e.message, data: { file: e.file, line: String(e.line) } };
  return null;
}

/** user@host:port -> the name `ssh-keygen -R` wants ("host" or "[host]:port"). */
function hostKeyNameOf(label: string): string {
  const m = /^(?:[^@]*@)?(.+?)(?::(\d+))?$/.exec(label);
  if (!m) return label;
  const host = m[1]!;
  return m[2] && m[2] !== '22' ? `[${host}]:${m[2]}` : host;
}
