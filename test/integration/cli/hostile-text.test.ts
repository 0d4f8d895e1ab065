// `oomlab replay` and `oomlab kmsg` as child processes on hostile input: a real
// recording whose strings were rewritten to carry terminal escape sequences,
// C1 controls, carriage returns and bidi overrides, and a kernel log with the
// same in a comm. Nothing of it may reach stdout or stderr as a control
// character. No root needed: no host is touched.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LabEvent } from '../../../electron/lab/events';
import { parseNdjson, ROOT, runCli } from './oomlab-child';

// ESC (and so every escape sequence), C1 (8-bit CSI/OSC), CR, BEL, DEL, bidi overrides.
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;
const EVIL = '\x1b]0;owned\x07\x1b[2J\x1b[H\x9b31m\u202e\r$ sudo ';

describe('hostile text reaching the terminal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oomlab-hostile-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const lines = readFileSync(join(ROOT, 'scenarios/recordings/two-workers-123mi.ndjson'), 'utf8').trimEnd().split('\n');
  const header = JSON.parse(lines[0]!);
  header.scenario.title.en += EVIL;
  const events = lines.slice(1).map((l) => {
    const e = JSON.parse(l) as LabEvent;
    if (e.kind === 'run-start') e.scenario.title.en += EVIL;
    if (e.kind === 'workload-output') e.line += EVIL;
    if (e.kind === 'kernel-line') e.raw += EVIL;
    if (e.kind === 'oom-kill') e.report.comm += EVIL;
    if (e.kind === 'warning' || e.kind === 'error') e.message += EVIL;
    if (e.kind === 'expectation') e.observed += EVIL;
    return e;
  });
  const rec = join(dir, 'hostile.ndjson');
  writeFileSync(rec, [header, ...events].map((x) => JSON.stringify(x) + '\n').join(''));

  it('replay prints every line of a hostile recording with no control character', async () => {
    const r = await runCli(['replay', rec, '--kernel']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(r.stderr).not.toMatch(CONTROL);
    // the text is still there, its controls shown for what they are
    expect(r.stdout).toContain('\\x9b31m\\u202e\\x0d$ sudo');
    expect(r.stdout).toContain('☠ OOM kill');
  });

  it('replay --json escapes them and still parses back to the same events', async () => {
    const r = await runCli(['replay', rec, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(CONTROL);
    expect(parseNdjson(r.stdout).slice(1)).toEqual(events);
  });

  it('kmsg prints a kill whose comm carries escape sequences with none of them', async () => {
    const log = join(dir, 'kern.log');
    // No line break in this one: the comm must still parse, to be printed.
    const comm = 'x\x1b]0;owned\x07\x1b[2J\x9b31m\u202e';
    const kernel = readFileSync(join(ROOT, 'test/fixtures/kmsg/local-6.18-plain.raw.log'), 'utf8').replaceAll('(stress)', `(${comm})`).replaceAll('task=stress', `task=${comm}`);
    writeFileSync(log, kernel);
    const r = await runCli(['kmsg', log]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^OOM kill 1\/1/);
    expect(r.stdout).toContain('killed      pid 20885 (x\\x9b31m\\u202e), oom_score_adj 0');
    expect(r.stdout).not.toMatch(CONTROL);
  });

  it('a recording with a wrong-shaped event is refused in one line naming file:line and field', async () => {
    const bad = join(dir, 'bad.ndjson');
    const kill = events.findIndex((e) => e.kind === 'oom-kill');
    const shaped = events.map((e, i) => (i === kill ? { ...e, report: { ...(e as Extract<LabEvent, { kind: 'oom-kill' }>).report, pid: `<script>${EVIL}` } } : e));
    writeFileSync(bad, [header, ...shaped].map((x) => JSON.stringify(x) + '\n').join(''));
    const r = await runCli(['replay', bad]);
    expect(r.code).toBe(7);
    // One line: the place and what is wrong, then the next step.
    expect(r.stderr).toBe(`oomlab: ${bad}:${kill + 2}: report.pid: expected number, got string (fix the value named and run again)\n`);
  });
});
