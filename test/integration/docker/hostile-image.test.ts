// Images are untrusted input (issue 13, item 7): a hostile image plants symlinks
// at every /tmp path a wrapper ever used to hand over a workload, pointing at
// canary files on the host. In both run modes the workload must run with exactly
// the confinement a plain `docker exec` gives in that container (not host root's
// capabilities), and no canary may be created, truncated, written or even read.
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { HostFacts } from '../../../electron/lab/host/facts';
import type { LabEvent } from '../../../electron/lab/events';
import { probeHost } from '../../../electron/lab/host/probe';
import { measureHostClock } from '../../../electron/lab/sampler/clock';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { createDockerTarget } from '../../../electron/lab/targets/docker';
import { containerExists, describeWithDocker, of, removeContainers } from './helpers';
import { buildHostileImage, CANARIES, confinementLines, dockerExecConfinement, hostCapEff, type HostileImage } from './hostile-image';

const MIB = 1024 * 1024;

describeWithDocker('a hostile image in a docker target', () => {
  let facts: HostFacts;
  let img: HostileImage;
  const made: string[] = [];
  beforeAll(async () => {
    const t = new LocalTransport();
    facts = await probeHost(t);
    await t.close();
    img = buildHostileImage();
  }, 120_000);
  // Only this file's containers: other suites may share the daemon.
  afterEach(() => {
    const left = made.splice(0).filter(containerExists);
    removeContainers(left);
    expect(left).toEqual([]);
  });
  afterAll(() => img?.remove());

  for (const mode of ['main', 'exec'] as const) {
    it(`${mode} mode: the workload is confined as docker exec is, and no host file behind a planted link is touched`, async () => {
      const before = img.canaryState();
      const t = new LocalTransport();
      const events: LabEvent[] = [];
      const target = createDockerTarget(t, facts, { runId: `hi-${process.pid}-${mode}-${Date.now().toString(36)}`, limitBytes: 32 * MIB, appVersion: 'test', docker: { mode, image: img.tag } });
      made.push(target.name);
      try {
        const clock = await measureHostClock(t);
        await target.create();
        const reference = dockerExecConfinement(target.containerId!);
        expect(reference.some((l) => /^confined CapEff: [0-9a-f]{16}$/.test(l))).toBe(true);
        expect(reference).not.toContain(`confined CapEff: ${hostCapEff()}`);

        const h = target.startWorkload({ transport: t, facts, clock }, 'probe', { kind: 'stress', vm: 1, vmBytes: MIB, timeCapSec: 20 }, (e) => events.push(e));
        const exit = await h.exited;
        // Nothing on the host behind the planted links was created, written, truncated or read.
        expect(img.canaryState()).toEqual(before);
        expect(img.canaryContents()).toEqual(CANARIES);
        const out = of(events, 'workload-output').filter((e) => e.workload === 'probe').map((e) => e.line).join('\n');
        expect(of(events, 'error')).toEqual([]);
        expect(exit).toMatchObject({ code: 0, signal: null });
        expect(of(events, 'workload-start')[0]).toMatchObject({ verifiedMember: true });
        // The links were there when the workload ran...
        expect(out).toContain('planted /tmp/.oomlab-go.tmp');
        expect(out).toContain('planted /tmp/.oomlab-go');
        // ...and the workload had the container's own identity and confinement.
        expect(confinementLines(out)).toEqual(reference);
      } finally {
        await target.destroy();
        await t.close();
      }
    }, 90_000);
  }
});
