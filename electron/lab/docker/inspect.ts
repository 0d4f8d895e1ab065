import { LabError } from '../errors';
// Parses `docker inspect` output (the JSON array it prints, or one object from
// `--format '{{json .}}'`) into the few facts the lab uses. Pure; tested on
// real output captured from dockerd 20.10 (test/fixtures/docker/).

export interface ContainerState {
  /** created | running | paused | restarting | removing | exited | dead */
  status: string;
  running: boolean;
  /** Docker's flag: an OOM event was seen in the container's cgroup (not necessarily a kill of PID 1). */
  oomKilled: boolean;
  /** Host pid of the container's main process; 0 when it is not running. */
  pid: number;
  exitCode: number;
  error: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ContainerInfo {
  /** Full 64-hex id. */
  id: string;
  /** Without docker's leading "/". */
  name: string;
  /** The image as asked for (Config.Image) and its id. */
  image: string;
  imageId: string;
  restartCount: number;
  labels: Record<string, string>;
  state: ContainerState;
  /** HostConfig.Memory / MemorySwap in bytes; 0 = unlimited, MemorySwap -1 = unlimited swap. */
  memoryBytes: number;
  memorySwapBytes: number;
  /** HostConfig.CgroupParent ("" = the daemon's default). */
  cgroupParent: string;
  /** HostConfig.CgroupnsMode: "host" | "private" | "" (older daemons). */
  cgroupnsMode: string;
  networkMode: string;
}

export class InspectParseError extends LabError {
  constructor(message: string) {
    super('host', message);
    this.name = 'InspectParseError';
  }
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function str(o: Obj, key: string, where: string): string {
  const v = o[key];
  if (typeof v !== 'string') throw new InspectParseError(`${where}.${key}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function optStr(o: Obj, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

function num(o: Obj, key: string, where: string, dflt?: number): number {
  const v = o[key];
  if (v === undefined && dflt !== undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new InspectParseError(`${where}.${key}: expected a number, got ${JSON.stringify(v)}`);
  return v;
}

function bool(o: Obj, key: string, where: string): boolean {
  const v = o[key];
  if (typeof v !== 'boolean') throw new InspectParseError(`${where}.${key}: expected true or false, got ${JSON.stringify(v)}`);
  return v;
}

// Docker prints the zero time for "never".
const time = (v: string): string | null => (v === '' || v.startsWith('0001-01-01') ? null : v);

export function parseState(raw: unknown, where = 'State'): ContainerState {
  if (!isObj(raw)) throw new InspectParseError(`${where}: expected an object`);
  const error = optStr(raw, 'Error');
  return {
    status: str(raw, 'Status', where),
    running: bool(raw, 'Running', where),
    oomKilled: bool(raw, 'OOMKilled', where),
    pid: num(raw, 'Pid', where),
    exitCode: num(raw, 'ExitCode', where),
    error: error === '' ? null : error,
    startedAt: time(optStr(raw, 'StartedAt')),
    finishedAt: time(optStr(raw, 'FinishedAt')),
  };
}

function parseOne(raw: unknown, where: string): ContainerInfo {
  if (!isObj(raw)) throw new InspectParseError(`${where}: expected an object`);
  const id = str(raw, 'Id', where);
  if (!/^[0-9a-f]{64}$/.test(id)) throw new InspectParseError(`${where}.Id: not a container id: ${JSON.stringify(id)}`);
  const config = isObj(raw.Config) ? raw.Config : {};
  const host = isObj(raw.HostConfig) ? raw.HostConfig : {};
  const labels: Record<string, string> = {};
  if (isObj(config.Labels)) for (const [k, v] of Object.entries(config.Labels)) if (typeof v === 'string') labels[k] = v;
  return {
    id,
    name: str(raw, 'Name', where).replace(/^\//, ''),
    image: optStr(config, 'Image'),
    imageId: optStr(raw, 'Image'),
    restartCount: num(raw, 'RestartCount', where, 0),
    labels,
    state: parseState(raw.State, `${where}.State`),
    memoryBytes: num(host, 'Memory', `${where}.HostConfig`, 0),
    memorySwapBytes: num(host, 'MemorySwap', `${where}.HostConfig`, 0),
    cgroupParent: optStr(host, 'CgroupParent'),
    cgroupnsMode: optStr(host, 'CgroupnsMode'),
    networkMode: optStr(host, 'NetworkMode'),
  };
}

/** All containers in `docker inspect` output (an array), or the one object of `--format '{{json .}}'`. */
export function parseInspect(text: string, where = 'docker inspect'): ContainerInfo[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new InspectParseError(`${where}: not JSON (${(e as Error).message}): ${text.slice(0, 120)}`);
  }
  if (Array.isArray(raw)) return raw.map((r, i) => parseOne(r, `${where}[${i}]`));
  return [parseOne(raw, where)];
}

/** Exactly one container, or an error naming what came back. */
export function parseInspectOne(text: string, where = 'docker inspect'): ContainerInfo {
  const all = parseInspect(text, where);
  if (all.length !== 1) throw new InspectParseError(`${where}: expected one container, got ${all.length}`);
  return all[0]!;
}
