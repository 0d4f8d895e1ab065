// The scenario format's docker parts: target {kind: docker}, the string
// parameter that carries the image, and the `container` expectation.
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError } from '../../../electron/lab/scenario/load';
import { evaluateExpectation } from '../../../electron/lab/scenario/expectations';
import { bundledLibrary } from '../../../electron/lab/session/scenario-library';
import type { LabEvent } from '../../../electron/lab/events';

const yaml = (target: string, extra = '') => `id: d
title: D
target: ${target}
limit: 64Mi
${extra}steps:
  - title: s
`;

describe('target: {kind: docker}', () => {
  it('defaults: the host-built stress image, the container\'s main process, no network', () => {
    expect(parseScenario(yaml('{ kind: docker }'), 'd.yaml').scenario.target).toEqual({ kind: 'docker', image: 'oomlab/stress', mode: 'main', network: 'none' });
    expect(parseScenario(yaml('{ kind: cgroup }'), 'd.yaml').scenario.target).toEqual({ kind: 'cgroup' });
  });

  it('the image is a string parameter, overridable from the command line', () => {
    const text = yaml('{ kind: docker, image: "${image}", mode: exec }', 'params:\n  image: { type: string, default: oomlab/stress }\n');
    expect(parseScenario(text, 'd.yaml').scenario.target).toMatchObject({ image: 'oomlab/stress', mode: 'exec' });
    expect(parseScenario(text, 'd.yaml', { image: 'registry.lab/stress:1.0' }).scenario.target).toMatchObject({ image: 'registry.lab/stress:1.0' });
  });

  it('a bad image or mode is reported at its file:line with the field', () => {
    const text = yaml('{ kind: docker, image: "${image}" }', 'params:\n  image: { type: string, default: oomlab/stress }\n');
    try {
      parseScenario(text, 'd.yaml', { image: '--privileged' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      expect((e as Error).message).toMatch(/^d\.yaml:3:\d+: target\.image: an image reference/);
    }
    expect(() => parseScenario(yaml('{ kind: docker, mode: detached }'), 'd.yaml')).toThrow(/target\.mode/);
    expect(() => parseScenario(yaml('{ kind: vm }'), 'd.yaml')).toThrow(/target/);
  });

  it('the bundled docker scenarios load with their defaults', async () => {
    for (const id of ['docker-growing-allocator', 'docker-two-workers-123mi', 'docker-pid1-survives']) {
      const s = (await bundledLibrary.resolve(id)).scenario;
      expect(s.target.kind).toBe('docker');
      expect(s.swap).toBe('pinned');
    }
    expect((await bundledLibrary.resolve('docker-growing-allocator')).scenario.limit).toBe(64 * 1024 * 1024);
    expect((await bundledLibrary.resolve('docker-two-workers-123mi')).scenario.limit).toBe(128974848);
  });
});

describe('the container expectation', () => {
  const status = (over: Partial<Extract<LabEvent, { kind: 'status' }>>): LabEvent => ({
    kind: 'status',
    subject: 'container',
    name: 'oomlab-r1',
    phase: 'exited',
    reason: 'OOMKilled',
    exitCode: 137,
    restartCount: 0,
    oomKilled: true,
    t: 1500,
    ...over,
  });

  it('judges the last status docker reported', () => {
    const events = [status({ phase: 'running', reason: null, exitCode: null, oomKilled: false, t: 100 }), status({})];
    const v = evaluateExpectation({ container: { oomKilled: true, exitCode: 137, phase: 'exited' } }, events);
    expect(v).toEqual({
      passed: true,
      text: 'the container reports OOMKilled=true, exit code 137, status exited',
      observed: 'oomlab-r1: status exited, OOMKilled=true, exit code 137, restarts 0 at t=1.50 s',
    });
    expect(evaluateExpectation({ container: { phase: 'running' } }, events).passed).toBe(false);
  });

  it('fails plainly when no status was read', () => {
    expect(evaluateExpectation({ container: { oomKilled: false } }, []).observed).toMatch(/no container status was read/);
  });
});
