// The command line behaving like the tools beside it: help with an example per
// command, `validate`, `run --json` output that replays, colour only where the
// terminal has it, SIGTERM -> cleanup then 143. Child processes (bin/oomlab.js).

import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import type { LabEvent } from '../../../electron/lab/events';
import { SUMMARIES } from '../../../electron/cli/summaries';
import { parseRecording } from '../../../electron/lab/recording/parse';
import { CSV_COLUMNS } from '../../../renderer/export/csv';
import { quote } from '../../../electron/lab/ssh/quote';
import { requireOrSkip } from '../../helpers/sshd';
import { BIN, ROOT, leftovers, parseNdjson, runCli, spawnCli, until } from './oomlab-child';

const pre = requireOrSkip(['root', 'cgroup-v1-memory', 'stress']);
const COLOUR = /\x1b\[[0-9;]*m/;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oomlab-cli-b-'));
  return () => rmSync(dir, { recursive: true, force: true });
});

const scenario = (id: string, waitFor: string) => `id: ${id}
title: A worker that fits
limit: 32Mi
steps:
  - title: fits
    actions:
      - start: { workload: hog, stress: { vmBytes: 8M, vmKeep: true }, timeCap: 1m }
      - wait: { usage: { atLeast: ${waitFor} }, timeout: 60s }
    expect:
      - usageWithinLimit: true
`;

/** Runs oomlab under a pseudo-terminal (util-linux `script`), so stdout is a TTY. */
function inTerminal(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; out: string }> {
  const cmd = [process.execPath, BIN, ...args].map(quote).join(' ');
  const child = spawn('script', ['-qefc', cmd, '/dev/null'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

describe('help and validate', () => {
  it('every command has an example under its --help; the codes list 143', async () => {
    for (const name of Object.keys(SUMMARIES)) {
      const r = await runCli([name, '--help']);
      expect(r.code, name).toBe(0);
      expect(r.stdout, name).toMatch(new RegExp(`\\nExample:\\n  npx oomlab ${name}\\b`));
    }
    expect((await runCli(['--help'])).stdout).toContain('143  terminated (SIGTERM; cleanup ran first)');
  });

  it('validate lists every problem of every file as file:line:column and exits 7; valid files exit 0', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'id: bad\ntitle: B\nlimit: lots\nsteps:\n  - title: s\n    actions:\n      - start: { workload: w, stress: { vmBytes: heaps } }\n');
    const badRec = join(dir, 'bad.ndjson');
    writeFileSync(badRec, '{"format":"oomlab-recording","version":1}\n');
    const good = join(ROOT, 'scenarios/two-workers-123mi.yaml');
    const r = await runCli(['validate', good, bad, badRec]);
    expect(r.code, r.stderr).toBe(7);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toContain(`${bad}:3:8: limit: expected a size such as 123Mi, 100M or 4096 (K/M/G are 1024-based), or "max"`);
    expect(lines.some((l) => l.startsWith(`${bad}:7:50: steps[0].actions[0].start.stress.vmBytes:`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`${badRec}:1:1: header.`))).toBe(true);
    expect(lines.some((l) => l.startsWith(good))).toBe(false);
    expect(r.stderr).toBe('oomlab: 2 of 3 files with problems\n');

    const ok = await runCli(['validate', good, join(ROOT, 'scenarios/recordings/growing-allocator.ndjson')]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toBe('');
  });
});

describe('replay --redact', () => {
  it('writes a shareable copy of a real recording: no host, user or absolute local path remains', async () => {
    const src = readFileSync(join(ROOT, 'scenarios/recordings/kernel-line-to-owner.ndjson'), 'utf8');
    const me = userInfo().username;
    const planted = join(dir, 'planted.ndjson');
    // As if recorded here: this machine's name, this user, the scenario in this checkout.
    writeFileSync(planted, src.replaceAll('"host":"local"', `"host":"${me}@${hostname()}"`).replaceAll('/work/main/', ROOT));
    const out = join(dir, 'shared.ndjson.gz');
    const r = await runCli(['replay', planted, '--redact', out]);
    expect(r.code, r.stderr).toBe(0);
    const text = gunzipSync(readFileSync(out)).toString('utf8');
    for (const gone of [`"user":"${me}"`, `${me}@`, ROOT, '/root/', '/home/']) expect(text, gone).not.toContain(gone);
    // the host's name as a word (a short one like "vm" is also inside "vmBytes")
    expect(text).not.toMatch(new RegExp(`(?<![\\w.-])${hostname()}(?![\\w-])`));
    expect(text).toContain('"kernel":"6.18.44-fc-v669"');
    const rp = await runCli(['replay', out]);
    expect(rp.code, rp.stderr).toBe(0);
    expect(rp.stdout).toContain('events');
  });
});

describe('replay --csv / --html / --play', () => {
  const demo = join(ROOT, 'scenarios/recordings/growing-allocator.ndjson');
  const rec = () => parseRecording(readFileSync(demo, 'utf8'), demo);

  it('--csv and --html write the whole run, as the app exports it', async () => {
    const csv = join(dir, 'run.csv');
    const html = join(dir, 'run.html');
    const r = await runCli(['replay', demo, '--csv', csv, '--html', html]);
    expect(r.code, r.stderr).toBe(0);
    const { events } = rec();
    const samples = events.filter((e) => e.kind === 'sample' && e.cgroup === 'target').length;
    const rows = readFileSync(csv, 'utf8').trim().split('\n');
    expect(rows[0]).toBe(CSV_COLUMNS.join(','));
    expect(rows.length - 1).toBe(samples);
    expect(r.stdout).toContain(`wrote ${csv} (${samples} samples)`);
    const report = readFileSync(html, 'utf8');
    expect((report.match(/<li class="(pass|fail)">/g) ?? []).length).toBe(events.filter((e) => e.kind === 'expectation').length);
    expect(report).toContain('<title>');
    expect(report).not.toMatch(/<script/i);
    expect(r.stdout).toContain('the chart image needs a browser');
  });

  it('--play prints the timeline in real time, --speed N times faster', async () => {
    const last = rec().events.at(-1)!.t;
    const speed = 8;
    const t0 = Date.now();
    const r = await runCli(['replay', demo, '--play', '--speed', String(speed)]);
    const took = Date.now() - t0;
    expect(r.code, r.stderr).toBe(0);
    expect(took).toBeGreaterThanOrEqual(last / speed);
    expect(r.stdout).toContain(`${rec().events.length} events`);
    expect((await runCli(['replay', demo, '--play', '--speed', '0'])).code).toBe(2);
  });
});

describe.skipIf(pre.skip)('run on --host local', () => {
  let seen: LabEvent[][] = [];
  afterEach(async () => {
    for (const events of seen.splice(0)) {
      await until(() => leftovers(events).length === 0, 15_000, 'no leftovers').catch(() => {});
      expect(leftovers(events)).toEqual([]);
    }
  });

  it('run --json starts with the recording header: its output is a recording that replays', async () => {
    const file = join(dir, 'fits.yaml');
    writeFileSync(file, scenario('fits', '6M'));
    const r = await runCli(['run', file, '--host', 'local', '--json', '--no-sweep']);
    const lines = parseNdjson(r.stdout) as unknown as Array<Record<string, unknown>>;
    seen.push(lines.slice(1) as unknown as LabEvent[]);
    expect(r.code, r.stderr).toBe(0);
    expect(lines[0]).toMatchObject({ format: 'oomlab-recording', version: 2, scenario: { id: 'fits' } });
    expect(lines[1]).toMatchObject({ kind: 'run-start', runId: lines[0]!.runId });
    const rec = join(dir, 'from-json.ndjson');
    writeFileSync(rec, r.stdout);
    const rp = await runCli(['replay', rec, '--json']);
    expect(rp.code, rp.stderr).toBe(0);
    expect(parseNdjson(rp.stdout)).toEqual(lines);
  });

  it('colour only on a terminal that has it: not with NO_COLOR, TERM=dumb or a pipe', async () => {
    const file = join(dir, 'fits-colour.yaml');
    writeFileSync(file, scenario('fits-colour', '6M'));
    const args = ['run', file, '--host', 'local', '--no-sweep'];
    const coloured = await inTerminal(args, { TERM: 'xterm-256color', NO_COLOR: '' });
    expect(coloured.code, coloured.out).toBe(0);
    expect(coloured.out).toMatch(COLOUR);
    for (const env of [{ TERM: 'xterm-256color', NO_COLOR: '1' }, { TERM: 'dumb', NO_COLOR: '' }]) {
      const plain = await inTerminal(args, env);
      expect(plain.code, plain.out).toBe(0);
      expect(plain.out, JSON.stringify(env)).toContain('✔ passed');
      expect(plain.out, JSON.stringify(env)).not.toMatch(COLOUR);
    }
    expect((await runCli(args, { TERM: 'xterm-256color' })).stdout).not.toMatch(COLOUR);
  });

  it.skipIf(spawnSync('kubectl', ['version', '--client']).status !== 0)('a pod scenario without a reachable Kubernetes API: one line before anything is created, exit 6', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    // An API server address where nothing listens.
    writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters:\n- cluster: { server: "https://127.0.0.1:1" }\n  name: c\ncontexts:\n- context: { cluster: c, user: u }\n  name: x\ncurrent-context: x\nusers:\n- name: u\n  user: { token: t }\n');
    const r = await runCli(['run', 'pod-two-workers-123mi', '--host', 'local', '--json', '--no-sweep'], { KUBECONFIG: kubeconfig });
    expect(r.code, r.stderr).toBe(6);
    expect(r.stdout).toBe(''); // no header, no run-start: nothing was created
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^oomlab: local: the Kubernetes API does not answer kubectl \(.*127\.0\.0\.1:1.*\); scenario pod-two-workers-123mi runs in a pod \(start the cluster/);
  });

  it('SIGTERM mid-run cleans up, then exits 143', async () => {
    const file = join(dir, 'waits.yaml');
    writeFileSync(file, scenario('waits', '30M'));
    const c = spawnCli(['run', file, '--host', 'local', '--json', '--no-sweep']);
    await c.waitForEvent((e) => e.kind === 'workload-start', 60_000);
    c.child.kill('SIGTERM');
    const r = await c.done;
    const events = parseNdjson(r.stdout).slice(1);
    seen.push(events);
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toContain('oomlab: terminated; cleaning up');
    expect(events.at(-1)).toMatchObject({ kind: 'run-end', outcome: 'aborted' });
    expect(leftovers(events)).toEqual([]);
  });
});
