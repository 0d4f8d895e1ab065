// The CLI's exit-code table over LabError.kind and the one-line messages.
import { describe, expect, it } from 'vitest';
import { CliExit, cliFailure, EXIT_BY_KIND, exitCodes } from '../../../electron/cli/exit';
import { LabError, type ErrorKind } from '../../../electron/lab/errors';
import { TargetError } from '../../../electron/lab/targets/target';
import { KubectlError } from '../../../electron/lab/kube/kubectl';
import { DockerUnavailableError } from '../../../electron/lab/docker/info';
import { TimeoutError } from '../../../electron/lab/ssh/transport';
import { HostKeyError, SudoRefusedError } from '../../../electron/lab/ssh/errors';
import { ScenarioError } from '../../../electron/lab/scenario/load';
import { HostSpecError } from '../../../electron/lab/ssh/hostspec';

// A Record over the union: adding a kind without a row here fails tsc.
const EXPECTED: Record<ErrorKind, number> = {
  input: 7,
  config: 7,
  connection: 3,
  timeout: 3,
  auth: 4,
  hostKey: 5,
  host: 6,
  sudo: 6,
  target: 6,
  aborted: 130,
};

const stackFrame = /^\s+at /m;

describe('exit codes over LabError.kind', () => {
  it('every kind has its code, and the documented ones keep theirs', () => {
    for (const [kind, code] of Object.entries(EXPECTED)) expect(EXIT_BY_KIND[kind as ErrorKind].code, kind).toBe(code);
    expect(exitCodes).toMatchObject({ usage: 2, connection: 3, auth: 4, hostKey: 5, host: 6, badInput: 7, internal: 70 });
  });

  it.each(Object.keys(EXPECTED) as ErrorKind[])('a %s error is one line with a next step and no stack', (kind) => {
    const f = cliFailure(new LabError(kind, `somewhere: it went wrong\n  on a second line`), false);
    expect(f.code).toBe(EXPECTED[kind]);
    expect(f.text).not.toMatch(stackFrame);
    expect(f.text.startsWith('oomlab: somewhere: it went wrong')).toBe(true);
    expect(f.text).toContain(`(${EXIT_BY_KIND[kind].next})`);
  });

  it('maps the classes neither list knew before: TargetError, KubectlError, DockerUnavailableError, TimeoutError', () => {
    expect(cliFailure(new TargetError('h: sweep incomplete'), false).code).toBe(6);
    expect(cliFailure(new KubectlError('kubectl: no cluster', null), false).code).toBe(6);
    expect(cliFailure(new DockerUnavailableError('h: docker daemon not running'), false).code).toBe(6);
    expect(cliFailure(new TimeoutError('sleep 100', 5000), false).code).toBe(3);
    expect(cliFailure(new SudoRefusedError('u@h:22', 'sudo: a password is required\n'), false)).toEqual({
      code: 6,
      text: 'oomlab: sudo -n refused on u@h:22: sudo: a password is required (need root, or passwordless sudo for this user) (connect as root, or allow this user passwordless sudo (`sudo -n`))\n',
    });
  });

  it("uses the error's own hint, and the --accept-new-host-key step for an unknown key", () => {
    expect(cliFailure(new HostSpecError('a;b', 'bad'), false).text).toBe('oomlab: host "a;b": bad (write it as [user@]host[:port] or an ssh config alias)\n');
    const unknown = new HostKeyError('root@h:22', 'host key for root@h:22 is unknown (ssh-ed25519 SHA256:x)', 'unknown', 'SHA256:x', 'ssh-ed25519');
    expect(cliFailure(unknown, false)).toMatchObject({ code: 5, text: expect.stringContaining('run again with --accept-new-host-key') });
  });

  it("keeps a scenario's problems one per line, each with its place", () => {
    const e = new ScenarioError('s.yaml', [
      { line: 2, column: 1, field: 'limit', message: 'not a size' },
      { line: 9, column: 5, field: 'steps.0', message: 'unknown action' },
    ]);
    expect(cliFailure(e, false).text).toBe('oomlab: s.yaml:2:1: limit: not a size (fix the value named and run again)\n  s.yaml:9:5: steps.0: unknown action\n');
  });

  it('a bug: exit 70, one line that says to use --debug; the stack only with --debug', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'x')");
    const plain = cliFailure(bug, false);
    expect(plain.code).toBe(70);
    expect(plain.text).not.toMatch(stackFrame);
    expect(plain.text.trim().split('\n')).toHaveLength(1);
    expect(plain.text).toContain('--debug');
    const debug = cliFailure(bug, true);
    expect(debug.code).toBe(70);
    expect(debug.text).toMatch(stackFrame);
  });

  it('a CliExit keeps its code and message', () => {
    expect(cliFailure(new CliExit(2, '--lang must be en or zh-CN'), false)).toEqual({ code: 2, text: 'oomlab: --lang must be en or zh-CN\n' });
  });
});
