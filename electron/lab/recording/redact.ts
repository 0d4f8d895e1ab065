// A recording made fit to share (`oomlab replay FILE --redact OUT`, the app's
// "Save for sharing"): a copy without what names the author or their machines.
// Removed, in every string of the header and of every event:
//   - the host: the --host value (and its user and host parts), the host name a
//     journalctl kernel line carries -> "<host>";
//   - user names: the probe's `user`, the --host user, home directories
//     (/home/NAME, /Users/NAME, /root) -> "<user>", "~";
//   - IPv4 and IPv6 addresses (not loopback) -> "<ip>";
//   - machine ids: 32-hex-digit ids (/etc/machine-id, boot ids, the cgroup
//     names systemd and sandboxes build from them) and UUIDs -> "<id>";
//   - absolute local paths: the scenario file becomes its base name, the
//     folder it was in is removed wherever it appears, the kubeconfig path goes.
// Kept: kernel, distro, cgroup version and mounts, tool versions, every figure.
// Pure (no Node imports): the renderer redacts too.

import type { LabEvent } from '../events';
import type { RecordingHeader } from './format';

/** Names too common to be anyone's: replacing them in free text would garble it. */
const NOT_PERSONAL = new Set(['root', 'local', 'localhost', 'user', 'host', 'admin', 'debian', 'ubuntu']);

const IPV4 = /\b(?!127\.)(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}\b/g;
// Colon-separated hex groups: "::" or at least five groups, so clock times (12:34:56) stay.
const IPV6 = /(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])/gi;
const MACHINE_ID = /(?<![0-9a-f])(?:[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?![0-9a-f])/gi;
const HOME = /(?<![\w./~-])(?:\/(?:home|Users)\/[^/\s"']+|\/root(?![\w.-]))/g;
const JOURNAL_HOST = /^(?:\[[^\]]*\]|[A-Z][a-z]{2} [ \d]\d [\d:]{8}|\S+T\S+)\s+(\S+)\s+kernel:/;

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface RedactedRecording {
  header: RecordingHeader;
  events: LabEvent[];
}

export function redactRecording(header: RecordingHeader, events: readonly LabEvent[]): RedactedRecording {
  const spec = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(header.host.host);
  const hosts = new Set([spec?.[2]?.replace(/^\[|\]$/g, ''), header.host.host]);
  const users = new Set([spec?.[1], header.host.user]);
  for (const e of events) {
    const m = e.kind === 'kernel-line' ? JOURNAL_HOST.exec(e.raw) : null;
    if (m) hosts.add(m[1]);
  }
  const file = header.scenario.file;
  const folder = file && file.startsWith('/') ? file.slice(0, file.lastIndexOf('/') + 1) : null;
  const words = (set: Set<string | undefined>, token: string) =>
    [...set].filter((n): n is string => !!n && n.length >= 2 && !NOT_PERSONAL.has(n.toLowerCase())).map((n) => [new RegExp(`(?<![\\w.-])${escape(n)}(?![\\w-])`, 'g'), token] as const);
  const rules: Array<readonly [RegExp, string]> = [
    ...(folder ? [[new RegExp(escape(folder), 'g'), ''] as const] : []),
    [HOME, '~'],
    ...words(hosts, '<host>'),
    ...words(users, '<user>'),
    [MACHINE_ID, '<id>'],
    [IPV4, '<ip>'],
  ];
  const text = (s: string) => {
    let out = s;
    for (const [re, token] of rules) out = out.replace(re, token);
    return out.replace(IPV6, (m) => (m === '::1' || !(m.includes('::') || m.split(':').length >= 5) ? m : '<ip>'));
  };
  const deep = <T>(v: T): T => {
    if (typeof v === 'string') return text(v) as T;
    if (Array.isArray(v)) return v.map(deep) as T;
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deep(x)])) as T;
    return v;
  };
  const redactedHeader = deep(header);
  redactedHeader.host = { ...redactedHeader.host, host: '<host>', kubeconfig: header.host.kubeconfig === null ? null : '<path>' };
  if (header.host.user !== undefined) redactedHeader.host.user = '<user>';
  redactedHeader.scenario = { ...redactedHeader.scenario, file: file && file.slice(file.lastIndexOf('/') + 1) };
  return {
    header: redactedHeader,
    events: events.map((e) => (e.kind === 'run-start' ? { ...deep(e), host: redactedHeader.host, scenario: redactedHeader.scenario } : e.kind === 'sample' ? e : deep(e))),
  };
}
