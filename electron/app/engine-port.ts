// What the desktop side needs from the lab engine, in one small interface.
// engine.ts implements it with the real engine (ssh, probe, scenario runner);
// lab-service.ts only speaks to this, so the glue stays thin and testable.

import type { PauseControl } from '../lab/scenario/pause-control';
import type { LabEvent } from '../lab/events';
import type { HostFacts } from '../lab/host/facts';
import type { Transport } from '../lab/ssh/transport';
import type { HostEntry, IpcError, ScenarioSummary, SshAlias } from '../ipc';
import type { HostKillList } from '../lab/kernel/host-kills';

export interface HostKeyQuestion {
  host: string;
  keyType: string;
  fingerprint: string;
  /** Keys of other types already recorded for this host ("type (file:line)"). */
  otherTypes: string[];
  /** OpenSSH's warning when otherTypes is not empty. */
  warning: string | null;
}

/** How the engine asks the user during a connect; every answer may be null (= cancel). */
export interface ConnectAsk {
  hostKey(q: HostKeyQuestion): Promise<'once' | 'remember' | 'cancel'>;
  password(host: string, attempt: number): Promise<string | null>;
  passphrase(keyFile: string, host: string, attempt: number): Promise<string | null>;
  keyboardInteractive(q: { host: string; name: string; instructions: string; prompts: Array<{ prompt: string; echo: boolean }> }): Promise<string[] | null>;
}

export type ConnectProgress = 'connecting' | 'authenticating' | 'probing';

export interface RunRequest {
  transport: Transport;
  facts: HostFacts;
  scenarioId: string;
  params: Record<string, number | string>;
  runId: string;
  onEvent(e: LabEvent): void;
  /** Awaited before each step (index >= 1) starts: lets the user pause between steps. */
  /** Absent when the user does not pause between steps (then no warning about freezing either). */
  beforeStep?(index: number, control: PauseControl): Promise<void>;
  signal: AbortSignal;
}

export interface EnginePort {
  appVersion: string;
  connect(host: HostEntry, ask: ConnectAsk, progress: (stage: ConnectProgress) => void, signal: AbortSignal): Promise<Transport>;
  probe(transport: Transport): Promise<HostFacts>;
  /** The OOM kills in the host's kernel log, each with its owner (reads only). */
  hostKills(transport: Transport, facts: HostFacts, sinceSec: number): Promise<HostKillList>;
  listScenarios(): Promise<ScenarioSummary[]>;
  /** The user's own scenario folder (the last of the scenario dirs), null when there is none. */
  scenarioFolder: string | null;
  /** Resolves after run-end was emitted and everything the run made is removed. */
  run(req: RunRequest): Promise<void>;
  sshAliases(): SshAlias[];
  /** Why this host cannot run a scenario at all (checked before a run starts), or null. */
  hostProblem(facts: HostFacts): IpcError | null;
  /** Engine errors that are expected (unreachable, auth, host key, ...) as IPC errors; null for bugs. */
  classify(e: unknown): IpcError | null;
}
