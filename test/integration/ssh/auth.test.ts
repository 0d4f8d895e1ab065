// Authentication against a real sshd: key, agent, password,
// keyboard-interactive (PAM), passphrase-protected key, and a clear failure.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { join } from 'node:path';
import { startSshd, connectTestHost, requireOrSkip, createTestUser, startAgent, keygen, type TestSshd, type TestUser } from '../../helpers/sshd';
import { connectSsh } from '../../../electron/lab/ssh/connect';
import { AuthError } from '../../../electron/lab/ssh/errors';
import type { KeyboardInteractiveQuestion } from '../../../electron/lab/ssh/prompter';

const pre = requireOrSkip(['root', 'sshd', 'ssh-agent', 'useradd', 'pam']);

describe.skipIf(pre.skip)('ssh authentication against a real sshd', () => {
  let h: TestSshd;
  let user: TestUser;
  beforeAll(async () => {
    user = createTestUser();
    h = await startSshd({ passwordAuth: true, kbdInteractiveAuth: true });
  });
  afterAll(async () => {
    await h?.stop();
    user?.remove();
  });

  it('logs in with a key file and runs a command as root', async () => {
    const t = await connectTestHost(h);
    try {
      const r = await t.exec('id -u; echo "$SSH_CONNECTION" | cut -d" " -f4');
      expect(r.stdout.split('\n').slice(0, 2)).toEqual(['0', String(h.port)]);
    } finally {
      await t.close();
    }
  });

  it('logs in through ssh-agent (no identity file given)', async () => {
    const agentKey = join(h.dir, 'id_agent');
    h.authorize(keygen(agentKey));
    const agent = startAgent(h.dir);
    try {
      agent.add(agentKey);
      const t = await connectSsh(h.spec, { knownHostsFile: h.knownHostsFile, sshConfigFile: h.sshConfigFile, agentSocket: agent.socket, identityFiles: [] });
      expect((await t.exec('echo via-agent')).stdout).toBe('via-agent\n');
      await t.close();
      expect(h.log()).toMatch(/Accepted publickey for root .*ED25519/);
    } finally {
      agent.stop();
    }
  });

  it('asks for the passphrase of an encrypted key and uses it', async () => {
    const enc = join(h.dir, 'id_encrypted');
    const passphrase = 'correct horse $(battery) staple';
    h.authorize(keygen(enc, 'ed25519', passphrase));
    const asked: string[] = [];
    const t = await connectSsh(h.spec, {
      knownHostsFile: h.knownHostsFile,
      sshConfigFile: h.sshConfigFile,
      useAgent: false,
      identityFiles: [enc],
      prompter: {
        passphrase: async (file, _host, attempt) => {
          asked.push(`${file}#${attempt}`);
          return attempt === 1 ? 'wrong' : passphrase;
        },
      },
    });
    expect((await t.exec('echo ok')).stdout).toBe('ok\n');
    await t.close();
    expect(asked).toEqual([`${enc}#1`, `${enc}#2`]);
  });

  it('logs in with a password asked through the prompter', async () => {
    const asked: string[] = [];
    const t = await connectSsh(`${user.name}@127.0.0.1:${h.port}`, {
      knownHostsFile: h.knownHostsFile,
      sshConfigFile: h.sshConfigFile,
      useAgent: false,
      identityFiles: [],
      prompter: {
        password: async (u, host) => {
          asked.push(`${u} on ${host}`);
          return user.password;
        },
      },
    });
    expect((await t.exec('id -un')).stdout).toBe(`${user.name}\n`);
    await t.close();
    expect(asked).toEqual([`${user.name} on ${user.name}@127.0.0.1:${h.port}`]);
    expect(h.log()).toContain(`Accepted password for ${user.name}`);
  });

  it('logs in with keyboard-interactive when only that is answered', async () => {
    const questions: KeyboardInteractiveQuestion[] = [];
    const t = await connectSsh(`${user.name}@127.0.0.1:${h.port}`, {
      knownHostsFile: h.knownHostsFile,
      sshConfigFile: h.sshConfigFile,
      useAgent: false,
      identityFiles: [],
      prompter: {
        keyboardInteractive: async (q) => {
          questions.push(q);
          return q.prompts.map(() => user.password);
        },
      },
    });
    expect((await t.exec('id -un')).stdout).toBe(`${user.name}\n`);
    await t.close();
    expect(questions[0]?.prompts[0]?.prompt).toMatch(/password/i);
    expect(questions[0]?.prompts[0]?.echo).toBe(false);
    expect(h.log()).toContain(`Accepted keyboard-interactive/pam for ${user.name}`);
  });

  it('fails with an AuthError naming what was tried', async () => {
    const err = await connectSsh(`${user.name}@127.0.0.1:${h.port}`, {
      knownHostsFile: h.knownHostsFile,
      sshConfigFile: h.sshConfigFile,
      useAgent: false,
      identityFiles: [h.identityFile],
      prompter: { password: async (_u, _h, attempt) => (attempt === 1 ? 'not-the-password' : null) },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect((err as AuthError).tried).toEqual([`publickey ${h.identityFile}`, 'password']);
    expect((err as AuthError).message).toContain(`authentication failed for ${user.name}@127.0.0.1:${h.port}`);
  });
});
