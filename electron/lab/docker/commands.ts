import { LabError } from '../errors';
// `docker run` for a lab container, and the two tiny PID 1 programs it can
// start with. Pure: validated values in, argv out (quoted later by quote.ts).
//
// Every container carries the labels oomlab=1, oomlab.run=<runId> and
// oomlab.created=<ISO time> (the same time as in its owner record, which is
// what makes it the lab's: labels alone anyone can set), is named oomlab-<runId>, has --memory and (unless
// the scenario allows swap) --memory-swap equal to it, no network unless asked,
// a pid cap, and the json-file log driver so `docker logs -f` can follow it.

export const LABEL = 'oomlab';
export const LABEL_RUN = 'oomlab.run';
export const LABEL_CREATED = 'oomlab.created';
export const LABEL_MODE = 'oomlab.mode';

/** Where main mode's gate finds its workload: written by `docker cp` (the daemon resolves it inside the container). */
export const GATE_FILE = '/tmp/.oomlab-go';

/** Docker refuses a memory limit below 6 MiB. */
export const MIN_MEMORY_BYTES = 6 * 1024 * 1024;
export const PIDS_LIMIT = 512;

export type RunMode = 'main' | 'exec';

export interface ContainerSpec {
  name: string;
  image: string;
  memoryBytes: number;
  swap: 'pinned' | 'allowed';
  network: string;
  runId: string;
  createdAt: string;
  mode: RunMode;
  /** PID 1 gives up after this long (the gate waiting for its workload, or the idle sleep). */
  lifetimeSec: number;
}

export class ContainerSpecError extends LabError {
  constructor(message: string) {
    super('input', message);
    this.name = 'ContainerSpecError';
  }
}

// A leading "-" would be taken for an option by docker, whatever the quoting.
const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._/:@-]{0,254}$/;
const NETWORK = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const NAME = /^oomlab-[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function checkImageRef(image: string, where = 'image'): string {
  if (!IMAGE_REF.test(image)) throw new ContainerSpecError(`${where}: ${JSON.stringify(image)} is not an image reference (name[:tag] or name@digest)`);
  return image;
}

export function checkNetwork(network: string, where = 'network'): string {
  if (!NETWORK.test(network)) throw new ContainerSpecError(`${where}: ${JSON.stringify(network)} is not a network name (none, host, bridge or a user network)`);
  return network;
}

/**
 * PID 1 in "main" mode: waits for SIGUSR1, which the host sends (docker kill
 * --signal) after moving this very process into the workload's cgroup and
 * copying the workload's exec line to $2 with docker cp; then sources it, so
 * the workload becomes the container's main process. Gives up after $1 seconds.
 */
const GATE = `g=; trap 'g=1' USR1
n=0; lim=$(($1 * 20))
while [ -z "$g" ]; do
  [ $n -ge $lim ] && exit 0
  n=$((n + 1)); sleep 0.05
done
. "$2"`;

/** PID 1 in "exec" mode: only keeps the container alive; workloads come in through docker exec. */
const IDLE = 'exec sleep "$1"';

export function pid1Argv(mode: RunMode, lifetimeSec: number): { entrypoint: string; args: string[] } {
  if (!Number.isInteger(lifetimeSec) || lifetimeSec < 1) throw new ContainerSpecError(`lifetime ${lifetimeSec}: expected whole seconds >= 1`);
  return mode === 'main'
    ? { entrypoint: 'sh', args: ['-c', GATE, 'oomlab-gate', String(lifetimeSec), GATE_FILE] }
    : { entrypoint: 'sh', args: ['-c', IDLE, 'oomlab-idle', String(lifetimeSec)] };
}

/** `docker run -d ...` for the spec. */
export function runArgv(s: ContainerSpec): string[] {
  if (!NAME.test(s.name)) throw new ContainerSpecError(`container name ${JSON.stringify(s.name)}: expected oomlab-<run id>`);
  checkImageRef(s.image);
  checkNetwork(s.network);
  if (!Number.isInteger(s.memoryBytes) || s.memoryBytes < MIN_MEMORY_BYTES) {
    throw new ContainerSpecError(`memory limit ${s.memoryBytes} B: Docker needs a whole number of bytes, at least ${MIN_MEMORY_BYTES} (6 MiB)`);
  }
  const pid1 = pid1Argv(s.mode, s.lifetimeSec);
  return [
    'docker', 'run', '--detach',
    '--name', s.name,
    '--label', `${LABEL}=1`,
    '--label', `${LABEL_RUN}=${s.runId}`,
    '--label', `${LABEL_CREATED}=${s.createdAt}`,
    '--label', `${LABEL_MODE}=${s.mode}`,
    '--memory', `${s.memoryBytes}b`,
    // memory-swap is memory + swap: equal to --memory means no swap at all.
    ...(s.swap === 'pinned' ? ['--memory-swap', `${s.memoryBytes}b`] : []),
    '--network', s.network,
    '--pids-limit', String(PIDS_LIMIT),
    '--log-driver', 'json-file',
    '--log-opt', 'max-size=4m',
    '--entrypoint', pid1.entrypoint,
    s.image,
    ...pid1.args,
  ];
}
