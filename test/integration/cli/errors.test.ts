// Every expected failure of every kind, as a user meets it: `oomlab` as a
// child process ends with the kind's exit code and ONE stderr line that names
// the place and the next step; never a stack trace (that is for bugs, with
// --debug). Kinds no command can be driven into here (target, timeout,
// aborted) are covered by test/unit/cli/exit.test.ts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTestUser, freePort, keygen, requireOrSkip, startSshd, type TestSshd, type TestUser } from '../../helpers/sshd';
import { exitCodes } from '../../../electron/cli/exit';
import { runCli, type CliResult } from './oomlab-child';

const env = { SSH_AUTH_SOCK: '' };

/** Exactly one line on stderr, `oomlab: ...`, no stack frame, and the expected code. */
function expectOneLine(r: CliResult, code: number, what: RegExp): string {
  const lines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('npm warn'));
  expect(r.stderr, 'no stack trace').not.toMatch(/^\s+at /m);
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^oomlab: /);
  expect(lines[0]).toMatch(what);
  expect(r.code, r.stderr).toBe(code);
  return lines[0]!;
}

describe('bad input and usage (no host needed)', () => {
  it('a malformed --host: exit 7, names the port and what is wrong, runs nothing', async () => {
    const marker = `/tmp/oomlab-host-inject-${process.pid}`;
    const r = await runCli(['probe', '--host', `root@127.0.0.1:2299;touch ${marker}`], env);
    const line = expectOneLine(r, exitCodes.badInput, /port "2299;touch \/tmp\/oomlab-host-inject-\d+" is not a number/);
    expect(line).toContain('[user@]host[:port]');
    expect(line).not.toMatch(/whitespace/);
    expect(existsSync(marker)).toBe(false);
  });

  it('a user name with shell characters: exit 7, names the character', async () => {
    const r = await runCli(['cleanup', '--host', 'ro$(id)ot@127.0.0.1'], env);
    expectOneLine(r, exitCodes.badInput, /the user name "ro\$\(id\)ot" contains "\$"/);
  });

  it('a scenario that does not exist: exit 7', async () => {
    const r = await runCli(['run', 'no-such-scenario', '--host', 'local'], env);
    expectOneLine(r, exitCodes.badInput, /^oomlab: no-such-scenario:1:1: no such file, and no bundled scenario has this id/);
  });

  it('a recording that does not exist: exit 7', async () => {
    const r = await runCli(['replay', '/nonexistent/run.ndjson'], env);
    expectOneLine(r, exitCodes.badInput, /\/nonexistent\/run\.ndjson: no such file/);
  });

  it('an ssh config that does not exist: exit 7 (config)', async () => {
    const r = await runCli(['probe', '--host', 'root@127.0.0.1:22', '--ssh-config', '/nonexistent/ssh_config'], env);
    expectOneLine(r, exitCodes.badInput, /ssh config \/nonexistent\/ssh_config does not exist/);
  });

  it('--debug is accepted after the subcommand, and --help documents the exit codes', async () => {
    const r = await runCli(['scenarios', '--json', '--debug'], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('"id":"two-workers-123mi"');
    const help = await runCli(['--help'], env);
    expect(help.stdout).toMatch(/Exit codes:[\s\S]*^ {2}6 {4}the host lacks something[\s\S]*^ {2}70 {3}internal error/m);
  });

  it('a flag value of the wrong form: exit 2', async () => {
    const r = await runCli(['scenarios', '--lang', 'fr'], env);
    expectOneLine(r, exitCodes.usage, /--lang must be en or zh-CN/);
  });
});

const pre = requireOrSkip(['root', 'sshd', 'cgroup-v1-memory', 'useradd']);

describe.skipIf(pre.skip)('over a real sshd', () => {
  let h: TestSshd;
  let user: TestUser;
  let userKey: string;
  const base = () => ['--ssh-config', h.sshConfigFile, '--known-hosts', h.knownHostsFile];
  const asUser = () => ['--host', `${user.name}@127.0.0.1:${h.port}`, '--identity', userKey, ...base()];

  beforeAll(async () => {
    h = await startSshd();
    user = createTestUser();
    userKey = join(h.dir, `id_${user.name}`);
    h.authorizeUser(user.name, keygen(userKey));
  });
  afterAll(async () => {
    await h?.stop();
    user?.remove();
  });

  it('`oomlab cleanup` as a user whose sudo -n is refused: exit 6, one line', async () => {
    const r = await runCli(['cleanup', ...asUser()], env);
    expectOneLine(r, exitCodes.host, new RegExp(`^oomlab: sudo -n refused on ${user.name}@127\\.0\\.0\\.1:${h.port}: .*\\(connect as root, or allow this user passwordless sudo`));
    expect(r.stdout).toBe('');
  });

  it('`oomlab run` on a host where cgroups cannot be made: exit 6 (host), one line', async () => {
    const r = await runCli(['run', 'two-workers-123mi', ...asUser()], env);
    expectOneLine(r, exitCodes.host, /cannot create memory cgroups .*\(connect as root, or allow this user passwordless sudo/);
  });

  it('connection refused: exit 3', async () => {
    const port = await freePort();
    const r = await runCli(['probe', '--host', `root@127.0.0.1:${port}`, '--identity', h.identityFile, ...base()], env);
    expectOneLine(r, exitCodes.connection, /cannot connect to root@127\.0\.0\.1:\d+: connection refused \(check the address/);
  });

  it('authentication refused: exit 4', async () => {
    const stranger = join(h.dir, 'id_stranger_errors');
    keygen(stranger);
    const r = await runCli(['cleanup', '--host', h.spec, '--identity', stranger, ...base()], env);
    expectOneLine(r, exitCodes.auth, /authentication failed for root@127\.0\.0\.1:\d+/);
  });

  it('an unknown host key: exit 5, says how to accept it', async () => {
    const kh = join(h.dir, 'kh-errors-empty');
    writeFileSync(kh, '');
    const r = await runCli(['run', 'two-workers-123mi', '--host', h.spec, '--identity', h.identityFile, '--ssh-config', h.sshConfigFile, '--known-hosts', kh], env);
    expectOneLine(r, exitCodes.hostKey, /unknown.*--accept-new-host-key/);
  });
});
