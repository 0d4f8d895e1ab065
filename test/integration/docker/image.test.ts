// The workload image built on this host from its own stress/stress-ng (nothing
// can be pulled here): built once, then reused by tag; it runs stress; the
// build directory is gone afterwards.
import { readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { ensureStressImage } from '../../../electron/lab/docker/image';
import { probeHost } from '../../../electron/lab/host/probe';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { describeWithDocker } from './helpers';

describeWithDocker('the oomlab/stress image built from the host', () => {
  it('is built, then found again by its content tag; it runs stress; no build dir is left', async () => {
    const t = new LocalTransport();
    try {
      const facts = await probeHost(t);
      const cached = await ensureStressImage(t, facts);
      expect(cached.tag).toMatch(/^oomlab\/stress:[0-9a-f]{12}$/);
      // Remove it so that the build itself is exercised (the tag is a content hash: same tag again).
      const rmi = spawnSync('docker', ['rmi', cached.tag], { encoding: 'utf8' });
      expect(rmi.status, rmi.stderr).toBe(0);
      const first = await ensureStressImage(t, facts);
      expect(first).toEqual({ ...cached, built: true });
      expect(first.tools).toEqual(expect.arrayContaining(['sh', 'sleep', 'stress']));
      const again = await ensureStressImage(t, facts);
      expect(again).toEqual({ ...first, built: false });

      const labels = spawnSync('docker', ['image', 'inspect', '--format', '{{json .Config.Labels}}', first.tag], { encoding: 'utf8' });
      expect(JSON.parse(labels.stdout)).toMatchObject({ 'oomlab.builder': '2' });
      // Only image labels: a container started from it must not look like a lab run.
      expect(JSON.parse(labels.stdout)).not.toHaveProperty('oomlab');
      const run = spawnSync('docker', ['run', '--rm', '--network', 'none', '--memory', '32m', '--label', 'oomlab=1', first.tag, 'stress', '--version'], { encoding: 'utf8', timeout: 60_000 });
      expect(run.stdout + run.stderr).toMatch(/stress 1\.\d/);
      expect(readdirSync('/var/tmp').filter((f) => f.startsWith('oomlab_image.'))).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
