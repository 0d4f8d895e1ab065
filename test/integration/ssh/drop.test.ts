// A dropped connection is detected and reported (sshd killed; sshd frozen so
// only keepalive can tell), work in flight ends with the reason, and
// reconnecting is an explicit call.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { startSshd, connectTestHost, requireOrSkip, type TestSshd } from '../../helpers/sshd';
import { ConnectionError } from '../../../electron/lab/ssh/errors';
import type { SshTransport } from '../../../electron/lab/ssh/ssh';

const pre = requireOrSkip(['root', 'sshd']);

function nextDisconnect(t: SshTransport): Promise<Error> {
  return new Promise((resolve) => t.onDisconnect(resolve));
}

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(pre.skip)('connection drop over a real sshd', () => {
  let h: TestSshd;
  beforeAll(async () => {
    h = await startSshd();
  });
  afterAll(() => h?.stop());

  it('reports a killed session process and fails work in flight with the reason', async () => {
    const t = (await connectTestHost(h)) as SshTransport;
    const lines: string[] = [];
    const p = t.stream('echo up; exec cat', { onLine: (l) => lines.push(l) });
    await until('the stream to run', () => lines.includes('up'));
    const dropped = nextDisconnect(t);
    const sessions = h.sessionPids();
    expect(sessions).toHaveLength(1);
    process.kill(sessions[0]!, 'SIGKILL');
    const err = await dropped;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.message).toMatch(new RegExp(`connection to root@127\\.0\\.0\\.1:${h.port} lost`));
    expect((await p.exit).error).toBe(err.message);
    await expect(t.exec('true')).rejects.toThrow(err.message);
    // A listener added after the drop still hears about it.
    expect((await nextDisconnect(t)).message).toBe(err.message);

    const again = await t.reconnect();
    expect((await again.exec('echo back')).stdout).toBe('back\n');
    await again.close();
    await t.close();
  });

  it('detects a server that stops answering through keepalive', async () => {
    const t = (await connectTestHost(h, { keepaliveIntervalMs: 200, keepaliveCountMax: 2 })) as SshTransport;
    expect((await t.exec('echo alive')).stdout).toBe('alive\n');
    const [pid] = h.sessionPids();
    const dropped = nextDisconnect(t);
    const started = Date.now();
    process.kill(pid!, 'SIGSTOP');
    try {
      const err = await dropped;
      expect(err.message).toContain('no answer to keepalive probes');
      // 2 missed probes at 200 ms: well under the TCP timeouts that would otherwise apply.
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      process.kill(pid!, 'SIGKILL');
      process.kill(pid!, 'SIGCONT');
      await t.close();
    }
  });

  it('a deliberate close is not a disconnect', async () => {
    const t = (await connectTestHost(h)) as SshTransport;
    let fired = false;
    t.onDisconnect(() => (fired = true));
    await t.close();
    await new Promise((r) => setImmediate(r));
    expect(fired).toBe(false);
    expect(t.disconnected).toBeNull();
  });
});
