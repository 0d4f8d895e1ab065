// The scenarios shipped in scenarios/*.yaml. SCENARIO on the command line is
// a path or one of these ids.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root';
import { loadScenario, ScenarioError, type LoadedScenario, type ParamOverrides } from './load';

export const SCENARIO_DIR = join(packageRoot(), 'scenarios/');

/** Every bundled scenario, loaded with its defaults (a broken one throws: that is a bug of ours). */
export async function bundledScenarios(): Promise<LoadedScenario[]> {
  const files = readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  return Promise.all(files.map((f) => loadScenario(join(SCENARIO_DIR, f))));
}

/** A path to a file, else a bundled id (its file is named <id>.yaml). */
export async function resolveScenario(ref: string, overrides: ParamOverrides = {}): Promise<LoadedScenario> {
  if (existsSync(ref) || ref.includes('/') || /\.ya?ml$/.test(ref)) return loadScenario(ref, overrides);
  for (const ext of ['.yaml', '.yml']) {
    const file = join(SCENARIO_DIR, ref + ext);
    if (existsSync(file)) {
      const loaded = await loadScenario(file, overrides);
      if (loaded.scenario.id === ref) return loaded;
    }
  }
  const all = await bundledScenarios();
  const hit = all.find((s) => s.scenario.id === ref);
  if (hit) return loadScenario(hit.file, overrides);
  throw new ScenarioError(ref, [
    { line: 1, column: 1, field: '', message: `no such file, and no bundled scenario has this id (bundled: ${all.map((s) => s.scenario.id).join(', ')})` },
  ]);
}
