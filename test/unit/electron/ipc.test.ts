// The channel map, the API derived from it, and main's validation of every payload.
import { describe, expect, it } from 'vitest';
import { buildApi, pushChannel, pushNames, requestChannel, requestNameOf, requestNames, requests, type ApiTransport } from '../../../electron/ipc';
import { dispatch, type Handlers } from '../../../electron/app/dispatch';
import { UserError } from '../../../electron/app/errors';

function recordingTransport() {
  const calls: Array<{ channel: string; payload: unknown }> = [];
  const subs: string[] = [];
  const t: ApiTransport = {
    invoke: async (channel, payload) => {
      calls.push({ channel, payload });
      return { ok: true, value: channel };
    },
    subscribe: (channel) => {
      subs.push(channel);
      return () => subs.splice(subs.indexOf(channel), 1);
    },
  };
  return { t, calls, subs };
}

/** Handlers that echo their (parsed) payload, to see what validation let through. */
function echoHandlers(): Handlers {
  return Object.fromEntries(requestNames.map((n) => [n, async (p: unknown) => ({ name: n, p })])) as unknown as Handlers;
}

const opts = (log: string[] = []) => ({ classify: () => null, log: (m: string) => log.push(m) });

describe('channel map', () => {
  it('derives one API method per request and one subscription per push, nothing else', async () => {
    const { t, calls, subs } = recordingTransport();
    const api = buildApi(t);
    expect(Object.keys(api).filter((k) => k !== 'on').sort()).toEqual([...requestNames].sort());
    expect(Object.keys(api.on).sort()).toEqual([...pushNames].sort());
    await api.connectHost({ hostId: 'h-1' });
    await api.listHosts();
    expect(calls).toEqual([
      { channel: 'oomlab:connectHost', payload: { hostId: 'h-1' } },
      { channel: 'oomlab:listHosts', payload: undefined },
    ]);
    const off = api.on.runEvents(() => undefined);
    expect(subs).toEqual([pushChannel('runEvents')]);
    off();
    expect(subs).toEqual([]);
  });

  it('maps channels back to request names and rejects anything else', () => {
    for (const n of requestNames) expect(requestNameOf(requestChannel(n))).toBe(n);
    expect(requestNameOf('oomlab:constructor')).toBeNull();
    expect(requestNameOf('oomlab:__proto__')).toBeNull();
    expect(requestNameOf('listHosts')).toBeNull();
  });
});

describe('dispatch validates every payload', () => {
  it('passes a valid payload to its handler', async () => {
    const r = await dispatch('oomlab:startRun', { hostId: 'local', scenarioId: 'two-workers-123mi', params: { limit: '123Mi', n: 2 }, pauseBetweenSteps: true }, echoHandlers(), opts());
    expect(r).toEqual({ ok: true, value: { name: 'startRun', p: { hostId: 'local', scenarioId: 'two-workers-123mi', params: { limit: '123Mi', n: 2 }, pauseBetweenSteps: true } } });
  });

  it.each([
    ['oomlab:connectHost', { hostId: '../../etc' }, 'hostId'],
    ['oomlab:connectHost', { hostId: 'a', extra: 1 }, '(payload): Unrecognized key: "extra"'],
    ['oomlab:listHosts', { sneaky: true }, '(payload)'],
    ['oomlab:saveHost', { label: 'x', target: '-oProxyCommand=sh', identityFile: null, useAgent: true, rememberSecret: false }, 'target'],
    ['oomlab:saveHost', { label: 'x', target: 'root@host name', identityFile: null, useAgent: true, rememberSecret: false }, 'target'],
    ['oomlab:answerPrompt', { promptId: 'p-1', answer: { kind: 'host-key', decision: 'always' } }, 'answer.decision'],
    ['oomlab:startRun', { hostId: 'local', scenarioId: 's', params: { 'bad key': 1 }, pauseBetweenSteps: false }, 'params.bad key:'],
    ['oomlab:startRun', { hostId: 'local', scenarioId: 's', params: { x: Infinity }, pauseBetweenSteps: false }, 'params.x'],
    ['oomlab:saveExport', { kind: 'exe', suggestedName: 'a', content: '' }, 'kind'],
    ['oomlab:saveExport', { kind: 'png', suggestedName: '../../.bashrc', content: '' }, 'suggestedName'],
    ['oomlab:openDemoRecording', { name: '../secret.ndjson' }, 'name'],
  ])('%s rejects %j naming %s', async (channel, payload, where) => {
    const log: string[] = [];
    const r = await dispatch(channel, payload, echoHandlers(), opts(log));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('invalid-request');
    expect(r.error.message).toContain(where.includes(':') ? where : `${where}:`);
    expect(log.join('\n')).toContain('rejected');
  });

  it('refuses an unknown channel', async () => {
    const r = await dispatch('oomlab:eval', 'process.exit()', echoHandlers(), opts());
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid-request' } });
  });

  it('turns expected failures into values and bugs into "internal" (logged)', async () => {
    const log: string[] = [];
    const h = echoHandlers();
    h.listHosts = async () => {
      throw new UserError('not-connected', 'Connect to lab first.', { host: 'lab' });
    };
    h.listScenarios = async () => {
      throw new TypeError('cannot read properties of undefined');
    };
    expect(await dispatch('oomlab:listHosts', undefined, h, opts(log))).toEqual({
      ok: false,
      error: { code: 'not-connected', message: 'Connect to lab first.', data: { host: 'lab' } },
    });
    const bug = await dispatch('oomlab:listScenarios', undefined, h, opts(log));
    expect(bug).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(log.some((l) => l.includes('TypeError: cannot read properties of undefined'))).toBe(true);
  });

  it('every request has a schema that accepts its documented empty form or rejects junk', () => {
    for (const n of requestNames) expect(requests[n].payload.safeParse(Symbol('x')).success).toBe(false);
  });
});
