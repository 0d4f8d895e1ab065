// The scenario library: every file in scenarios/ loads and validates, and each
// one teaches in both languages (titles, narration, parameter descriptions).

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundledScenarios, BUNDLED_SCENARIO_DIR } from '../../../electron/lab/session/scenario-library';
import { loadScenario } from '../../../electron/lab/scenario/load';
import { isPlainCgroup } from '../../../scenarios/record';

/** The eight experiments of the library (issue 6), by id; v1/v2 variants of one experiment both count. */
const LIBRARY = [
  'growing-allocator',
  'two-workers-123mi',
  'overcommit-reserve-vs-touch',
  'oom-score-adj-protection',
  'usage-vs-working-set',
  'oom-killer-held-back-v1',
  'memory-high-and-oom-group-v2',
  'kernel-line-to-owner',
  'pid1-survives',
];

describe('scenarios/', () => {
  it('every YAML file loads with its defaults and is named after its id', async () => {
    const files = readdirSync(BUNDLED_SCENARIO_DIR).filter((f) => /\.ya?ml$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(LIBRARY.length);
    for (const f of files) {
      const { scenario } = await loadScenario(join(BUNDLED_SCENARIO_DIR, f));
      expect(f.replace(/\.ya?ml$/, ''), f).toBe(scenario.id);
    }
  });

  it('holds every experiment of the library as a plain cgroup scenario', async () => {
    const plain = (await bundledScenarios()).map((l) => l.scenario).filter(isPlainCgroup);
    expect(plain.map((s) => s.id).sort()).toEqual([...LIBRARY].sort());
  });

  it('each library scenario speaks English and Simplified Chinese everywhere', async () => {
    for (const { scenario: s } of await bundledScenarios()) {
      if (!LIBRARY.includes(s.id)) continue;
      const both = (what: string, l: { en: string; 'zh-CN'?: string } | undefined) => {
        expect(l?.en.trim(), `${s.id}: ${what} (en)`).toBeTruthy();
        expect(l?.['zh-CN']?.trim(), `${s.id}: ${what} (zh-CN)`).toBeTruthy();
        // zh-CN text is Chinese, not a copy of the English
        expect(/[\u4e00-\u9fff]/.test(l!['zh-CN']!), `${s.id}: ${what} (zh-CN is Chinese)`).toBe(true);
      };
      both('title', s.title);
      both('description', s.description);
      for (const [name, p] of Object.entries(s.params)) both(`param ${name}`, p.description);
      s.steps.forEach((st, i) => {
        both(`step ${i + 1} title`, st.title);
        both(`step ${i + 1} narration`, st.narration);
      });
    }
  });

  it('each step that makes a claim checks it, and version-specific ones say so', async () => {
    for (const { scenario: s } of await bundledScenarios()) {
      if (!LIBRARY.includes(s.id)) continue;
      s.steps.forEach((st, i) => expect(st.expect.length, `${s.id} step ${i + 1} has expectations`).toBeGreaterThan(0));
      const knobs = s.steps.flatMap((st) => st.actions.flatMap((a) => ('set' in a ? Object.keys(a.set) : [])));
      if (knobs.some((k) => k === 'oom-kill-disable' || k === 'soft-limit')) expect(s.requires?.cgroup, `${s.id} uses v1 knobs`).toBe('v1');
      if (knobs.some((k) => k === 'high' || k === 'oom-group')) expect(s.requires?.cgroup, `${s.id} uses v2 knobs`).toBe('v2');
    }
  });

  it('`oomlab scenarios` lists each of them with its title in both languages', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    const r = spawnSync(process.execPath, [join(root, 'bin/oomlab.js'), 'scenarios'], { cwd: root, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const blocks = new Map(r.stdout.split('\n\n').map((b) => [b.split('\n')[0]!.trim(), b] as const));
    for (const { scenario: s } of await bundledScenarios()) {
      if (!LIBRARY.includes(s.id)) continue;
      const b = blocks.get(s.id);
      expect(b, `${s.id} is listed`).toBeDefined();
      expect(b).toContain(s.title.en);
      expect(b).toContain(s.title['zh-CN']!);
    }
  }, 30_000);
});
