// Telling sudo's own refusals (messages from sudo 1.9 as printed with -n)
// apart from the privileged command failing.
import { describe, it, expect } from 'vitest';
import { isSudoRefusal, execAsRoot } from '../../../electron/lab/ssh/sudo';
import { LocalTransport } from '../../../electron/lab/ssh/local';

describe('isSudoRefusal', () => {
  it.each([
    [1, 'sudo: a password is required\n'],
    [1, 'lab is not in the sudoers file.  This incident will be reported.\n'],
    [1, 'Sorry, user lab is not allowed to execute \'/bin/sh -c id\' as root on host.\n'],
    [1, 'sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper\n'],
    [127, 'sh: 1: sudo: not found\n'],
  ])('exit %i %j is a refusal', (code, stderr) => {
    expect(isSudoRefusal({ code, stderr })).toBe(true);
  });
  it('a failing command under sudo is not', () => {
    expect(isSudoRefusal({ code: 1, stderr: 'mkdir: cannot create directory: Permission denied\n' })).toBe(false);
    expect(isSudoRefusal({ code: 0, stderr: 'sudo: a password is required' })).toBe(false);
  });
});

describe('execAsRoot', () => {
  it('runs directly when root', async () => {
    const r = await execAsRoot(new LocalTransport(), 'echo direct', true);
    expect(r.stdout).toBe('direct\n');
  });
  // A real refusal (non-root user over sshd) is in test/integration/host/probe.test.ts.
});
