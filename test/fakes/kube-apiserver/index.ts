// startFakeCluster(): the fake API server on https://127.0.0.1:<free port>
// with a self-signed CA (openssl), a bearer token, one Node object describing
// this machine, the fake kubelet behind it, and a kubeconfig for the real
// kubectl. See README.md for what is faithful and what is simplified.

import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { hostname, networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { GIT_VERSION } from './discovery';
import { FakeKubelet, nodeLabels } from './kubelet';
import { FakeApi, type RequestLogEntry } from './server';
import { Store, timestamp } from './store';

export interface FakeClusterOptions {
  /** An image on this machine's dockerd whose `sleep` plays the pause container. */
  pauseImage: string;
  /** Where the request log and kubeconfig go (default a new temp dir, removed by close()). */
  dir?: string;
  /** Node capacity override in bytes (default MemTotal). */
  capacityBytes?: number;
}

export interface FakeCluster {
  url: string;
  kubeconfig: string;
  nodeName: string;
  capacityBytes: number;
  allocatableBytes: number;
  /** Every request kubectl made, in order. */
  requests: RequestLogEntry[];
  /** The request log file (one line per request). */
  logFile: string;
  store: Store;
  close(): Promise<void>;
}

/** k3s' default hard eviction threshold; the kubelet subtracts it from allocatable. */
const EVICTION_HARD = 100 * 1024 * 1024;

function memTotalBytes(): number {
  const m = /^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'));
  if (!m) throw new Error('no MemTotal in /proc/meminfo');
  return Number(m[1]) * 1024;
}

function hostIP(): string {
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) return a.address;
  return '127.0.0.1';
}

function makeCerts(dir: string): { ca: string; key: string; cert: string } {
  const f = (n: string) => join(dir, n);
  const ssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  ssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.crt'), '-days', '2', '-subj', '/CN=oomlab-fake-ca']);
  ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('server.key'), '-out', f('server.csr'), '-subj', '/CN=kube-apiserver']);
  writeFileSync(f('san.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  ssl(['x509', '-req', '-in', f('server.csr'), '-CA', f('ca.crt'), '-CAkey', f('ca.key'), '-CAcreateserial', '-out', f('server.crt'), '-days', '2', '-extfile', f('san.ext')]);
  return { ca: readFileSync(f('ca.crt'), 'utf8'), key: readFileSync(f('server.key'), 'utf8'), cert: readFileSync(f('server.crt'), 'utf8') };
}

export async function startFakeCluster(opts: FakeClusterOptions): Promise<FakeCluster> {
  const ownDir = !opts.dir;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'oomlab-fake-kube.'));
  const logFile = join(dir, 'requests.log');
  writeFileSync(logFile, '');
  const tls = makeCerts(dir);
  const token = randomBytes(24).toString('hex');
  const store = new Store();
  const nodeName = hostname().toLowerCase();
  const capacityBytes = opts.capacityBytes ?? memTotalBytes();
  const allocatableBytes = capacityBytes - EVICTION_HARD;
  const ip = hostIP();
  let url = '';
  const log = (line: string) => appendFileSync(logFile, `${timestamp()} ${line}\n`);

  let api!: FakeApi;
  const kubelet = new FakeKubelet({
    store,
    nodeName,
    hostIP: ip,
    instance: randomBytes(6).toString('hex'),
    pauseImage: opts.pauseImage,
    capacityBytes,
    allocatableBytes,
    afterPodRemoved: () => api.finishNamespaces(),
    log,
  });
  api = new FakeApi(
    store,
    { podCreated: (ns, n) => kubelet.podCreated(ns, n), podDeleting: (ns, n, g) => kubelet.podDeleting(ns, n, g), podRemoved: (p) => kubelet.podRemoved(p) },
    token,
    () => url.replace(/^https:\/\//, ''),
    (e) => log(`${e.method} ${e.url} ${e.status} ${e.userAgent}`),
  );

  for (const ns of ['default', 'kube-system']) store.create('namespaces', { metadata: { name: ns, labels: { 'kubernetes.io/metadata.name': ns } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  const ki = (b: number) => `${Math.floor(b / 1024)}Ki`;
  store.create('nodes', {
    metadata: { name: nodeName, labels: nodeLabels(nodeName), annotations: { 'oomlab.fake': 'true' } },
    spec: {},
    status: {
      capacity: { cpu: '2', 'ephemeral-storage': '0', memory: ki(capacityBytes), pods: '110' },
      allocatable: { cpu: '2', 'ephemeral-storage': '0', memory: ki(allocatableBytes), pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: timestamp(), lastTransitionTime: timestamp() }],
      addresses: [{ type: 'InternalIP', address: ip }, { type: 'Hostname', address: nodeName }],
      nodeInfo: { kubeletVersion: GIT_VERSION, kubeProxyVersion: GIT_VERSION, containerRuntimeVersion: 'docker://20.10', operatingSystem: 'linux', architecture: 'amd64', osImage: 'oomlab fake node', kernelVersion: '' },
    },
  });

  kubelet.start();
  const server: Server = api.listen(tls);
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => res());
  });
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const kubeconfig = join(dir, 'kubeconfig.yaml');
  writeFileSync(
    kubeconfig,
    `apiVersion: v1
kind: Config
clusters:
- cluster:
    certificate-authority-data: ${Buffer.from(tls.ca).toString('base64')}
    server: ${url}
  name: oomlab-fake
contexts:
- context:
    cluster: oomlab-fake
    user: oomlab-fake
  name: oomlab-fake
current-context: oomlab-fake
preferences: {}
users:
- name: oomlab-fake
  user:
    token: ${token}
`,
    { mode: 0o600 },
  );

  return {
    url,
    kubeconfig,
    nodeName,
    capacityBytes,
    allocatableBytes,
    requests: api.log,
    logFile,
    store,
    close: async () => {
      api.closeWatches();
      const closed = new Promise<void>((res) => server.close(() => res()));
      server.closeAllConnections();
      await closed;
      await kubelet.stop();
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
