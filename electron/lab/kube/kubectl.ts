// kubectl over the Transport: `kubectl` or `k3s kubectl` on the node, with the
// kubeconfig the probe found or the one the user named. Every command is built
// with quote.ts; manifests go in on stdin, never on the command line.

import type { HostFacts } from '../host/facts';
import { asRoot, command } from '../ssh/quote';
import type { RemoteProcess, StreamOptions, Transport } from '../ssh/transport';
import { LabError } from '../errors';

export class KubectlError extends LabError {
  constructor(
    message: string,
    /** "NotFound", "AlreadyExists", ... from "Error from server (NotFound): ...". */
    readonly reason: string | null,
  ) {
    super('host', message);
    this.name = 'KubectlError';
  }
}

const BIN_OK = /^(?:kubectl|k3s kubectl|\/[A-Za-z0-9_.\/-]+)$/;

export interface KubectlConfig {
  /** "kubectl", "k3s kubectl", or an absolute path to a kubectl binary. */
  bin: string;
  kubeconfig: string | null;
}

/** What to run, from the user's choice, else the probe's. */
export function kubectlConfig(facts: HostFacts, opts: { kubectl?: string | null; kubeconfig?: string | null }, host: string): KubectlConfig {
  const bin = opts.kubectl ?? facts.kubectl ?? (facts.tools.kubectl ? 'kubectl' : facts.tools.k3s ? 'k3s kubectl' : null);
  if (!bin) throw new KubectlError(`${host}: neither kubectl nor k3s is installed (a pod target drives the cluster with kubectl on the node)`, null);
  if (!BIN_OK.test(bin) || bin.split('/').includes('..')) throw new KubectlError(`kubectl: ${JSON.stringify(bin)}: expected kubectl, "k3s kubectl" or an absolute path`, null);
  const kubeconfig = opts.kubeconfig ?? facts.kubeconfig ?? null;
  if (kubeconfig !== null && (!kubeconfig.startsWith('/') || kubeconfig.includes('\0'))) throw new KubectlError(`kubeconfig: ${JSON.stringify(kubeconfig)}: expected an absolute path on ${host}`, null);
  return { bin, kubeconfig };
}

/** "Error from server (NotFound): pods \"x\" not found" -> reason NotFound, and the message without kubectl's prefix. */
export function kubectlFailure(stderr: string): { reason: string | null; message: string } {
  const all = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  // klog lines ("E1202 15:47:51.092574 21964 memcache.go:265] ...") repeat what kubectl's own last line says.
  const klog = (l: string) => /^[EWIF]\d{4} \d\d:\d\d:\d\d/.test(l);
  const lines = all.filter((l) => !klog(l) && !l.startsWith('Warning:'));
  const text = lines.join('; ') || all.filter(klog).pop() || 'no output';
  const m = /Error from server \(([A-Za-z]+)\)/.exec(text);
  return { reason: m ? m[1]! : null, message: text.replace(/^error: /, '') };
}

export class Kubectl {
  constructor(
    private readonly transport: Transport,
    private readonly facts: HostFacts,
    readonly config: KubectlConfig,
    /** Every command issued, for logs and tests. */
    private readonly log: (argv: string[]) => void = () => {},
  ) {}

  argv(args: readonly string[]): string[] {
    return [...this.config.bin.split(' '), ...(this.config.kubeconfig ? ['--kubeconfig', this.config.kubeconfig] : []), ...args];
  }

  /** The kubeconfig may be root's (k3s.yaml is 0600): run as root when we can. */
  private build(args: readonly string[]): string {
    const argv = this.argv(args);
    this.log(argv);
    const cmd = command(argv);
    return this.facts.root || !this.facts.sudo ? cmd : asRoot(cmd, false);
  }

  /** Run to completion; throws KubectlError with kubectl's own words. */
  async run(args: readonly string[], opts: { stdin?: string; timeoutMs?: number } = {}): Promise<string> {
    const r = await this.transport.exec(this.build(args), { stdin: opts.stdin, timeoutMs: opts.timeoutMs ?? 60_000 });
    if (r.code === 0) return r.stdout;
    if (r.code === 127) throw new KubectlError(`${this.transport.label}: ${this.config.bin} is not installed`, null);
    const f = kubectlFailure(r.stderr || r.error || `exit ${r.code ?? r.signal}`);
    throw new KubectlError(`${this.transport.label}: ${this.argv(args).slice(0, 4).join(' ')}...: ${f.message}`, f.reason);
  }

  /** A long-running kubectl (a watch); lines arrive as they come. */
  stream(args: readonly string[], opts: StreamOptions): RemoteProcess {
    return this.transport.stream(this.build(args), opts);
  }
}
