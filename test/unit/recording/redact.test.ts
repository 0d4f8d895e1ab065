// Redacting real recordings (scenarios/recordings/) and one with the author's
// identity planted everywhere a real run can carry it.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readRecording } from '../../../electron/lab/recording/read';
import { parseRecording, recordingLine } from '../../../electron/lab/recording/parse';
import { redactRecording } from '../../../electron/lab/recording/redact';
import type { LabEvent } from '../../../electron/lab/events';

const DIR = fileURLToPath(new URL('../../../scenarios/recordings/', import.meta.url));
const text = (r: { header: unknown; events: unknown[] }) => JSON.stringify(r);

describe('redactRecording', () => {
  it.each(readdirSync(DIR).filter((n) => n.endsWith('.ndjson')))('%s: no local path or machine id remains; versions and figures stay', async (name) => {
    const rec = await readRecording(DIR + name);
    const out = redactRecording(rec.header, rec.events);
    const s = text(out);
    const folder = rec.header.scenario.file!.slice(0, rec.header.scenario.file!.lastIndexOf('/') + 1);
    expect(s).not.toContain(folder);
    expect(s).not.toMatch(/\/root\/|\/home\//);
    expect(s).not.toMatch(/(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])/);
    expect(out.header.scenario.file).toBe(name.replace('.ndjson', '.yaml'));
    expect(out.header.host).toMatchObject({ host: '<host>', kernel: rec.header.host.kernel, cgroup: rec.header.host.cgroup, tools: rec.header.host.tools, memoryMount: rec.header.host.memoryMount });
    expect(out.events.filter((e) => e.kind === 'sample')).toEqual(rec.events.filter((e) => e.kind === 'sample'));
    expect(out.events.map((e) => e.kind)).toEqual(rec.events.map((e) => e.kind));
    // still a recording
    expect(parseRecording([out.header, ...out.events].map(recordingLine).join('')).events).toHaveLength(rec.events.length);
  });

  it('removes a planted host, user, addresses and home paths from every string', async () => {
    const rec = await readRecording(DIR + 'kernel-line-to-owner.ndjson');
    const header = { ...rec.header, host: { ...rec.header.host, host: 'alice@lab-box.example.org:2222', user: 'alice', kubeconfig: '/home/alice/.kube/config' }, scenario: { ...rec.header.scenario, file: '/home/alice/lab/mine.yaml' } };
    const planted: LabEvent[] = [
      ...rec.events.map((e) => (e.kind === 'run-start' ? { ...e, host: header.host, scenario: header.scenario } : e)),
      { kind: 'kernel-line', t: 1, raw: '[  12.345678] buildbox kernel: eth0: 192.168.7.23 fe80::1ff:fe23:4567:890a up' },
      { kind: 'action', t: 2, step: 0, text: 'read /home/alice/lab/notes and /root/x on lab-box.example.org (machine 4c4c4544003910508034b4c04f4d3732)', read: undefined },
      { kind: 'warning', t: 3, message: 'alice: 10.0.0.5:22 at 12:34:56, loopback 127.0.0.1 and ::1 stay' },
    ].map((e) => Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) as LabEvent);
    const out = redactRecording(header, planted);
    const s = text(out);
    for (const gone of ['alice', 'lab-box', 'buildbox', '192.168.7.23', '10.0.0.5', 'fe80::', '/home/', '/root/', '4c4c4544003910508034b4c04f4d3732', '.kube']) expect(s).not.toContain(gone);
    expect(out.header.scenario.file).toBe('mine.yaml');
    const tail = out.events.slice(-3) as unknown as Array<Record<string, string>>;
    expect(tail[0]!.raw).toBe('[  12.345678] <host> kernel: eth0: <ip> <ip> up');
    expect(tail[1]!.text).toBe('read notes and ~/x on <host> (machine <id>)');
    expect(tail[2]!.message).toBe('<user>: <ip>:22 at 12:34:56, loopback 127.0.0.1 and ::1 stay');
  });
});
