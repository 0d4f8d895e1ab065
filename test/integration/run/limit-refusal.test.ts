// A limit the host cannot give is refused before the run touches the host:
// over a real sshd to this machine, probed for real, `--param limit=` one GiB
// above its MemTotal ends in an 'input' error with the numbers, and no cgroup,
// owner record or scratch dir of the run ever appears.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { connectTestHost, requireOrSkip, startSshd, type TestSshd } from '../../helpers/sshd';
import { probeHost } from '../../../electron/lab/host/probe';
import { bundledLibrary } from '../../../electron/lab/session/scenario-library';
import { runScenario } from '../../../electron/lab/scenario/runner';
import { isLabError } from '../../../electron/lab/errors';

const pre = requireOrSkip(['root', 'sshd', 'cgroup-v1-memory', 'stress']);
const GiB = 1024 ** 3;

describe.skipIf(pre.skip)('a limit above what the host has', () => {
  let h: TestSshd;
  beforeAll(async () => {
    h = await startSshd();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('is refused before anything is created, naming limit, MemTotal, MemAvailable and the override flag', async () => {
    const transport = await connectTestHost(h);
    const runId = `limit-${Date.now().toString(36)}`;
    const made = [`/sys/fs/cgroup/memory/oomlab/oomlab-${runId}`, `/run/oomlab/oomlab-${runId}.json`, `/var/tmp/oomlab-${runId}`];
    const seenOnHost: string[] = [];
    const events: string[] = [];
    const ac = new AbortController();
    try {
      const facts = await probeHost(transport);
      const limitGiB = Math.ceil(facts.memTotalBytes / GiB) + 1;
      const loaded = await bundledLibrary.resolve('two-workers-123mi', { limit: `${limitGiB}G` });
      const outcome = await runScenario({
        transport,
        facts,
        loaded,
        appVersion: 'test',
        runId,
        sweep: false, // other runs share this host
        signal: ac.signal,
        onEvent: (e) => {
          // Whatever the run emits, look at the host then; once it created its target, stop it short.
          events.push(e.kind);
          for (const p of made) if (existsSync(p)) seenOnHost.push(p);
          if (e.kind === 'action' && e.text.startsWith('created ')) ac.abort(new Error('the run should have been refused'));
        },
      }).then(
        (r) => ({ ran: r.outcome }),
        (e: unknown) => ({ refused: e }),
      );
      expect(outcome).not.toHaveProperty('ran');
      const e = (outcome as { refused: unknown }).refused;
      expect(isLabError(e) && e.kind, String(e)).toBe('input');
      const msg = (e as Error).message;
      expect(msg).not.toContain('\n');
      expect(msg).toContain(`limit ${limitGiB}.00 GiB (${limitGiB * GiB} B) is at or above what the host can give`);
      expect(msg).toContain(`on ${h.spec} (MemTotal `);
      expect(msg).toContain(`= ${facts.memTotalBytes} B, MemAvailable `);
      expect(msg).toContain(`= ${facts.memAvailableBytes} B)`);
      expect(msg).toContain('--allow-large-limit');
      expect(events).toEqual([]);
      expect(seenOnHost).toEqual([]);
      for (const p of made) expect(existsSync(p), p).toBe(false);
    } finally {
      await transport.close();
    }
  });
});
