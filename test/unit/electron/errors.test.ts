// The desktop's IPC error codes: one table over LabError.kind, refined for the
// errors the renderer explains more precisely; anything else is a bug.
import { describe, expect, it } from 'vitest';
import { classifyEngineError, IPC_CODE_BY_KIND } from '../../../electron/app/errors';
import { LabError, type ErrorKind } from '../../../electron/lab/errors';
import { TargetError } from '../../../electron/lab/targets/target';
import { KubectlError } from '../../../electron/lab/kube/kubectl';
import { DockerUnavailableError } from '../../../electron/lab/docker/info';
import { AuthError, HostKeyError, SudoRefusedError } from '../../../electron/lab/ssh/errors';
import { ScenarioError } from '../../../electron/lab/scenario/load';
import { RecordingError } from '../../../electron/lab/recording/parse';
import { ProbeError } from '../../../electron/lab/host/probe';
import { HostSpecError } from '../../../electron/lab/ssh/hostspec';
import { hostProblem } from '../../../electron/lab/session/host-problem';
import { messages, type MessageKey } from '../../../renderer/i18n/messages';

describe('IPC error codes over LabError.kind', () => {
  it('every kind has a code the renderer can explain in both languages', () => {
    for (const kind of Object.keys(IPC_CODE_BY_KIND) as ErrorKind[]) {
      const code = classifyEngineError(new LabError(kind, 'x'))!.code;
      expect(code).toBe(IPC_CODE_BY_KIND[kind]);
      for (const locale of ['en', 'zh-CN'] as const) {
        expect(messages[locale][`error.${code}` as MessageKey], `${locale} error.${code}`).toBeTruthy();
        expect(messages[locale][`error.${code}.next` as MessageKey], `${locale} error.${code}.next`).toBeDefined();
      }
    }
  });

  it('maps the classes the old instanceof list missed', () => {
    expect(classifyEngineError(new TargetError('h: destroy failed'))).toMatchObject({ code: 'target-failed', message: 'h: destroy failed' });
    expect(classifyEngineError(new KubectlError('kubectl: no cluster', null))).toMatchObject({ code: 'host-missing-tool' });
    expect(classifyEngineError(new DockerUnavailableError('h: no docker'))).toMatchObject({ code: 'host-missing-tool' });
    expect(classifyEngineError(new HostSpecError('a;b', 'bad'))).toMatchObject({ code: 'invalid-input', data: { next: expect.stringContaining('[user@]host[:port]') } });
  });

  it('keeps the precise codes and data the renderer shows', () => {
    expect(classifyEngineError(new ScenarioError('s.yaml', [{ line: 1, column: 1, field: '', message: 'm' }]))).toMatchObject({ code: 'scenario-invalid', data: { file: 's.yaml' } });
    expect(classifyEngineError(new RecordingError('r.ndjson', 3, 'bad'))).toMatchObject({ code: 'recording-invalid', data: { file: 'r.ndjson', line: '3' } });
    expect(classifyEngineError(new ProbeError('u@h:22', 'u@h:22: no /proc'))).toMatchObject({ code: 'probe-failed' });
    expect(classifyEngineError(new AuthError('u@h:22', 'auth failed', ['agent', 'password']))).toMatchObject({ code: 'auth-failed', data: { host: 'u@h:22', tried: 'agent, password' } });
    expect(classifyEngineError(new SudoRefusedError('u@h:22', 'sudo: a password is required'))).toMatchObject({ code: 'no-cgroup-permission', data: { host: 'u@h:22' } });
    expect(classifyEngineError(new HostKeyError('root@h:2222', 'unknown', 'unknown', 'SHA256:a', 'ssh-ed25519'))).toMatchObject({ code: 'host-key-rejected', data: { fingerprint: 'SHA256:a' } });
    expect(
      classifyEngineError(new HostKeyError('root@h:2222', 'changed', 'changed', 'SHA256:a', 'ssh-ed25519', [{ fingerprint: 'SHA256:b', where: 'kh:1' }])),
    ).toMatchObject({ code: 'host-key-changed', data: { recorded: 'SHA256:b (kh:1)', knownHostsName: '[h]:2222', problem: 'changed' } });
  });

  it('a host problem keeps its own code', () => {
    const p = hostProblem({ host: 'u@h:22', memoryController: true, canCreateCgroup: false, problems: [], kernelLog: ['dmesg'] } as never)!;
    expect(classifyEngineError(p)).toMatchObject({ code: 'no-cgroup-permission' });
  });

  it('anything that is not a LabError is a bug', () => {
    expect(classifyEngineError(new TypeError('x'))).toBeNull();
    expect(classifyEngineError('x')).toBeNull();
  });
});
