// `--host local`: a timed-out or aborted command dies with everything it
// started, as over SSH (the kill reaches the command's whole session).
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { LocalTransport } from '../../../electron/lab/ssh/local';
import { TimeoutError } from '../../../electron/lab/ssh/transport';

async function until(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const running = (cmd: string) => spawnSync('/usr/bin/pgrep', ['-x', '-f', cmd]).status === 0;

describe('LocalTransport kills', () => {
  it('a timed-out command and its children', async () => {
    const t = new LocalTransport();
    const cmd = `sleep 52.${process.pid}`;
    // Not exec'd: the sleep is a child of the shell, as most scripts' children are.
    const err = await t.exec(`${cmd}; echo after`, { timeoutMs: 500 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    await until(`"${cmd}" to be gone`, () => !running(cmd));
    await t.close();
  });

  it('an aborted command and its children', async () => {
    const t = new LocalTransport();
    const cmd = `sleep 53.${process.pid}`;
    const ac = new AbortController();
    const r = t.exec(`${cmd}; echo after`, { signal: ac.signal });
    await until('the sleep to run', () => running(cmd));
    ac.abort();
    expect((await r).stdout).toBe('');
    await until(`"${cmd}" to be gone`, () => !running(cmd));
    await t.close();
  });
});
