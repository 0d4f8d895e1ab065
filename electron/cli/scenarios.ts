// `oomlab scenarios`: the bundled scenarios, with their parameters.
import type { Command } from 'commander';
import { bundledScenarios } from '../lab/session/scenario-library';
import type { Locale } from '../lab/events';
import { parseLang, type SetExit } from './options';
import { relative } from 'node:path';
import { SUMMARIES } from './summaries';

export function registerScenarios(program: Command, setExit: SetExit): void {
  program
    .command('scenarios')
    .description(SUMMARIES.scenarios)
    .option('--lang <locale>', 'en or zh-CN', parseLang, 'en' as Locale)
    .option('--json', 'one JSON object per scenario')
    .action(async (o: { lang: Locale; json?: boolean }) => {
      const all = await bundledScenarios();
      for (const { scenario: s, file, params } of all) {
        if (o.json) {
          process.stdout.write(JSON.stringify({ id: s.id, title: s.title, description: s.description ?? null, file, limitBytes: s.limit, steps: s.steps.length, params }) + '\n');
          continue;
        }
        const t = (l: { en: string; 'zh-CN'?: string } | undefined) => (l ? (l[o.lang] ?? l.en) : '');
        const other = o.lang === 'en' ? s.title['zh-CN'] : s.title.en; // both languages: trainers pick by either
        process.stdout.write(`${s.id}\n  ${t(s.title)}\n${other && other !== t(s.title) ? `  ${other}\n` : ''}`);
        const desc = t(s.description);
        if (desc) process.stdout.write(`  ${desc}\n`);
        const ps = Object.entries(params).map(([k, v]) => `${k}=${v}`);
        process.stdout.write(`  ${s.steps.length} step${s.steps.length === 1 ? '' : 's'} · ${relative(process.cwd(), file) || file}${ps.length ? ` · params: ${ps.join(' ')}` : ''}\n\n`);
      }
      setExit(0);
    });
}
