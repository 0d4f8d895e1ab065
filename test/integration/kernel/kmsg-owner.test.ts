// `oomlab kmsg --host` traces each kill to its owner with what the host has:
// a real `docker run -m` container killed while --follow runs is printed with
// its name and image within a second; a pod kill through the fake API server
// (real kubectl, real dockerd containers, real kernel log) names the pod, its
// namespace and container; once the pod is deleted the kill says why it
// cannot be traced.
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { ensureStressImage } from '../../../electron/lab/docker/image';
import { probeHost } from '../../../electron/lab/host/probe';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { startFakeCluster, type FakeCluster } from '../../fakes/kube-apiserver/index';
import { startSshd, type TestSshd } from '../../helpers/sshd';
import { runCli, spawnCli, until } from '../cli/oomlab-child';
import { removeContainers } from '../docker/helpers';
import { describeWithPods } from '../pod/helpers';

const env = { SSH_AUTH_SOCK: '' };

interface Row {
  kind: string;
  pid: number;
  podUid: string | null;
  containerId: string | null;
  time: { wall: string | null };
  owner: {
    container: { name: string; image: string; runtime: string } | null;
    pod: { namespace: string; name: string; container: string | null; restartCount: number | null; lastState: string | null } | null;
    unresolved: string[];
  };
}

// Never spawnSync: the fake API server answers from this very process.
const kubectl = async (kubeconfig: string, args: string[], input?: string): Promise<string> => {
  const child = promisify(execFile)('kubectl', ['--kubeconfig', kubeconfig, ...args], { encoding: 'utf8' });
  if (input !== undefined) child.child.stdin!.end(input);
  return (await child).stdout;
};

describeWithPods('kmsg --host: kills traced to their owners', () => {
  let h: TestSshd;
  let image: string;
  let cluster: FakeCluster;
  const containers: string[] = [];
  const flags = () => ['--host', h.spec, '--identity', h.identityFile, '--known-hosts', h.knownHostsFile, '--ssh-config', h.sshConfigFile];

  beforeAll(async () => {
    h = await startSshd();
    const t = new LocalTransport();
    try {
      image = (await ensureStressImage(t, await probeHost(t))).tag;
    } finally {
      await t.close();
    }
    cluster = await startFakeCluster({ pauseImage: image, capacityBytes: 2041888 * 1024 });
  }, 300_000);
  afterEach(() => {
    removeContainers(containers.splice(0));
  });
  afterAll(async () => {
    await cluster?.close();
    await h?.stop();
  });

  it('a docker run -m container killed while --follow runs: its name and image, within a second', { timeout: 120_000 }, async () => {
    const c = spawnCli(['kmsg', ...flags(), '--follow', '--json'], env);
    try {
      await until(() => /following \(Ctrl-C to stop\)/.test(c.stderr()), 30_000, `the follow to start; stderr: ${c.stderr()}`);
      const name = `oomlab-itest-kmsg-${randomBytes(4).toString('hex')}`;
      containers.push(name);
      const run = spawnSync('docker', ['run', '-d', '--name', name, '-m', '32m', '--memory-swap', '32m', image, 'stress', '--vm', '1', '--vm-bytes', '64M', '--vm-keep', '-t', '30'], { encoding: 'utf8' });
      expect(run.status, run.stderr).toBe(0);
      const id = run.stdout.trim();
      let arrived = 0;
      const row = (await c.waitForEvent((e) => {
        const hit = (e as unknown as Row).containerId === id;
        if (hit && !arrived) arrived = Date.now();
        return hit;
      }, 30_000)) as unknown as Row;
      expect(row.kind).toBe('kill');
      expect(row.owner.container).toMatchObject({ runtime: 'docker', name, image });
      expect(row.owner.unresolved).toEqual([]);
      // Same machine, same clock: from the kernel's stamp to the printed line.
      expect(arrived - Date.parse(row.time.wall ?? '')).toBeLessThan(1000);
    } finally {
      c.child.kill('SIGINT');
      expect((await c.done).code).toBe(0);
    }
  });

  it('a pod kill: pod name, namespace, container and last state; after the pod is deleted, why it cannot be traced', { timeout: 180_000 }, async () => {
    const ns = `oomlab-itest-kmsg-${randomBytes(3).toString('hex')}`;
    const pod = 'hog-pod';
    const manifest = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod, namespace: ns },
      spec: {
        restartPolicy: 'Never',
        containers: [{ name: 'hog', image, command: ['stress', '--vm', '1', '--vm-bytes', '64M', '--vm-keep', '-t', '30'], resources: { limits: { memory: '32Mi' } } }],
      },
    };
    await kubectl(cluster.kubeconfig, ['create', 'namespace', ns]);
    try {
      await kubectl(cluster.kubeconfig, ['create', '--validate=false', '-f', '-'], JSON.stringify(manifest));
      const uid = (await kubectl(cluster.kubeconfig, ['get', 'pod', pod, '-n', ns, '-o', 'jsonpath={.metadata.uid}'])).trim();
      const trace = async () => {
        const r = await runCli(['kmsg', ...flags(), '--since', '10m', '--json', '--kubeconfig', cluster.kubeconfig], env);
        expect(r.code, r.stderr).toBe(0);
        return (JSON.parse(r.stdout) as Row[]).find((x) => x.podUid === uid && x.kind === 'kill') ?? null;
      };
      // The kill and the container's terminated state both come from the real kernel and dockerd.
      for (let phase = ''; phase !== 'Failed'; ) {
        phase = await kubectl(cluster.kubeconfig, ['get', 'pod', pod, '-n', ns, '-o', 'jsonpath={.status.phase}']);
        if (phase === 'Succeeded') throw new Error('the pod was not OOM-killed');
      }
      const row = await trace();
      expect(row?.owner.pod).toMatchObject({ namespace: ns, name: pod, container: 'hog', restartCount: 0 });
      expect(row?.owner.pod?.lastState).toMatch(/^terminated OOMKilled/);

      await kubectl(cluster.kubeconfig, ['delete', 'pod', pod, '-n', ns, '--wait=true']);
      const gone = await trace();
      expect(gone?.owner.pod).toBeNull();
      expect(gone?.owner.unresolved).toContain(`pod uid ${uid} not found: deleted since?`);
    } finally {
      await kubectl(cluster.kubeconfig, ['delete', 'namespace', ns, '--wait=true']);
    }
  });
});
