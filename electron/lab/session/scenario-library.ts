// The scenario library both front ends read: the bundled folder, then (the
// desktop) the user's own. The first folder wins when two files share an id;
// a file that does not load is listed with its error, never hidden.

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root';
import { loadScenario, ScenarioError, type LoadedScenario, type ParamOverrides } from '../scenario/load';

export const BUNDLED_SCENARIO_DIR = join(packageRoot(), 'scenarios/');

export type ScenarioSource = 'bundled' | 'user';

export interface ScenarioDir {
  dir: string;
  source: ScenarioSource;
}

export type LibraryEntry =
  | { id: string; file: string; source: ScenarioSource; loaded: LoadedScenario; error: null }
  /** id: the file name made safe, since the file did not say one. */
  | { id: string; file: string; source: ScenarioSource; loaded: null; error: ScenarioError };

const isScenarioFile = (f: string) => /\.ya?ml$/.test(f);

export class ScenarioLibrary {
  constructor(readonly dirs: readonly ScenarioDir[]) {}

  /** Every scenario file, each loaded with its defaults; a missing folder is empty. */
  async list(): Promise<LibraryEntry[]> {
    const out: LibraryEntry[] = [];
    const seen = new Set<string>();
    for (const { dir, source } of this.dirs) {
      let files: string[];
      try {
        files = readdirSync(dir).filter(isScenarioFile).sort();
      } catch {
        continue; // the user folder may not exist
      }
      for (const f of files) {
        const file = join(dir, f);
        try {
          const loaded = await loadScenario(file);
          if (seen.has(loaded.scenario.id)) continue;
          seen.add(loaded.scenario.id);
          out.push({ id: loaded.scenario.id, file, source, loaded, error: null });
        } catch (e) {
          if (!(e instanceof ScenarioError)) throw e;
          out.push({ id: f.replace(/\.ya?ml$/, '').replace(/[^A-Za-z0-9_.-]/g, '-'), file, source, loaded: null, error: e });
        }
      }
    }
    return out;
  }

  /** The scenario with this id (its file is usually <id>.yaml), loaded with the overrides. */
  async byId(id: string, overrides: ParamOverrides = {}): Promise<LoadedScenario> {
    for (const { dir } of this.dirs) {
      for (const ext of ['.yaml', '.yml']) {
        const file = join(dir, id + ext);
        if (!existsSync(file)) continue;
        const loaded = await loadScenario(file, overrides);
        if (loaded.scenario.id === id) return loaded;
      }
    }
    const all = await this.list();
    const hit = all.find((s) => s.loaded && s.id === id);
    if (hit) return loadScenario(hit.file, overrides);
    const known = all.filter((s) => s.loaded).map((s) => s.id);
    throw new ScenarioError(id, [{ line: 1, column: 1, field: '', message: `no such file, and no ${this.sourceWords()} scenario has this id (${this.sourceWords()}: ${known.join(', ')})` }]);
  }

  /** SCENARIO as typed: a path to a file, else an id. */
  resolve(ref: string, overrides: ParamOverrides = {}): Promise<LoadedScenario> {
    if (existsSync(ref) || ref.includes('/') || isScenarioFile(ref)) return loadScenario(ref, overrides);
    return this.byId(ref, overrides);
  }

  private sourceWords(): string {
    return this.dirs.every((d) => d.source === 'bundled') ? 'bundled' : 'known';
  }
}

export const bundledLibrary = new ScenarioLibrary([{ dir: BUNDLED_SCENARIO_DIR, source: 'bundled' }]);

/** Every bundled scenario with its defaults; a broken one throws (that is a bug of ours). */
export async function bundledScenarios(): Promise<LoadedScenario[]> {
  return (await bundledLibrary.list()).map((e) => {
    if (e.error) throw e.error;
    return e.loaded;
  });
}
