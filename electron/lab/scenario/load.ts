// Loads a scenario file: YAML (with source positions) -> ${param} substitution
// -> zod validation -> cross-reference checks. Every problem is reported as
// file:line:column, the field path and what is wrong, all at once.

import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isMap, isPair, isScalar, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { Scenario, type ParamDef } from './schema';
import { parseDuration, parseSize } from './units';
import { LabError } from '../errors';
import { yamlValue } from './yaml-value';

export interface ScenarioProblem {
  line: number;
  column: number;
  /** "steps[0].actions[1].start.stress.vmBytes"; "" for the whole file. */
  field: string;
  message: string;
}

export class ScenarioError extends LabError {
  constructor(
    readonly file: string,
    readonly problems: ScenarioProblem[],
  ) {
    super('input', problems.map((p) => `${file}:${p.line}:${p.column}: ${p.field ? `${p.field}: ` : ''}${p.message}`).join('\n'));
    this.name = 'ScenarioError';
  }
}

export interface LoadedScenario {
  scenario: Scenario;
  /** The path it was loaded from (as given). */
  file: string;
  /** Every declared param with the value used (default or override). */
  params: Record<string, string | number>;
}

export type ParamOverrides = Record<string, string | number>;

export async function loadScenario(file: string, overrides: ParamOverrides = {}): Promise<LoadedScenario> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError(file, [{ line: 1, column: 1, field: '', message: code === 'ENOENT' ? 'no such file' : `cannot read: ${(e as Error).message}` }]);
  }
  return parseScenario(text, file, overrides);
}

type PathKey = string | number;

export function parseScenario(text: string, file: string, overrides: ParamOverrides = {}): LoadedScenario {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const pos = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      file,
      // Later YAML errors are mostly echoes of the first one.
      doc.errors.slice(0, 1).map((e) => ({ ...pos(e.pos[0]), field: '', message: `YAML: ${e.message.split('\n')[0]}` })),
    );
  }
  const at = (path: PathKey[], message: string, pointAtKey?: string): ScenarioProblem => ({
    ...pos(offsetOf(doc, path, pointAtKey)),
    field: fieldPath(path),
    message,
  });

  const js = yamlValue(doc);
  if (!js.ok) throw new ScenarioError(file, [{ ...pos(js.offset), field: '', message: js.message }]);
  const raw = js.value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ScenarioError(file, [at([], 'a scenario is a YAML mapping (id:, title:, limit:, steps: ...)')]);
  }

  // 1. params: validated on their own first, since the rest refers to them.
  const problems: ScenarioProblem[] = [];
  const declared = (raw as Record<string, unknown>).params;
  const params: Record<string, string | number> = {};
  const defs: Record<string, ParamDef> = {};
  if (declared !== undefined) {
    const r = Scenario.shape.params.safeParse(declared);
    if (!r.success) {
      problems.push(...zodProblems(r.error, ['params'], at, raw));
      throw new ScenarioError(file, problems);
    }
    Object.assign(defs, r.data);
  }
  for (const [name, def] of Object.entries(defs)) {
    const v = paramValue(def, def.default);
    if (v === null) problems.push(at(['params', name, 'default'], `not a valid ${def.type}: ${JSON.stringify(def.default)}`));
    else params[name] = v;
  }
  for (const [name, value] of Object.entries(overrides)) {
    const def = defs[name];
    if (!def) {
      const known = Object.keys(defs);
      problems.push(at(['params'], `--param ${name}: this scenario has no such parameter (${known.length ? `it has: ${known.join(', ')}` : 'it has none'})`));
      continue;
    }
    const v = paramValue(def, value);
    if (v === null) problems.push(at(['params', name], `--param ${name}=${value}: not a valid ${def.type}`));
    else params[name] = v;
  }
  if (problems.length) throw new ScenarioError(file, problems);

  // 2. ${name} everywhere except in params itself.
  const substituted = substitute(raw, [], (path, name) => {
    if (name in params) return params[name]!;
    problems.push(at(path, `unknown parameter \${${name}} (declared: ${Object.keys(params).join(', ') || 'none'})`));
    return '';
  });
  if (problems.length) throw new ScenarioError(file, problems);

  // 3. the schema
  const r = Scenario.safeParse(substituted);
  if (!r.success) throw new ScenarioError(file, zodProblems(r.error, [], at, substituted));

  // 4. references between steps
  problems.push(...crossCheck(r.data).map((p) => at(p.path, p.message)));
  if (problems.length) throw new ScenarioError(file, problems);
  return { scenario: r.data, file, params };
}

function paramValue(def: ParamDef, value: string | number): string | number | null {
  switch (def.type) {
    case 'size':
      return parseSize(value) === null ? null : value;
    case 'duration':
      return typeof value === 'string' && parseDuration(value) !== null ? value : null;
    case 'integer': {
      const n = typeof value === 'number' ? value : /^-?[0-9]+$/.test(value.trim()) ? Number(value) : NaN;
      return Number.isSafeInteger(n) ? n : null;
    }
    case 'string':
      return typeof value === 'string' && value.length <= 1024 ? value : null;
  }
}

function substitute(value: unknown, path: PathKey[], lookup: (path: PathKey[], name: string) => string | number): unknown {
  if (typeof value === 'string') {
    const whole = /^\$\{([A-Za-z_][A-Za-z0-9_-]*)\}$/.exec(value);
    if (whole) return lookup(path, whole[1]!);
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_-]*)\}/g, (_m, name: string) => String(lookup(path, name)));
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, [...path, i], lookup));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = path.length === 0 && k === 'params' ? v : substitute(v, [...path, k], lookup);
    return out;
  }
  return value;
}

type At = (path: PathKey[], message: string, pointAtKey?: string) => ScenarioProblem;

/**
 * zod issues -> problems. Unions of one-key objects ("- start: ...") are
 * resolved to the branch the author meant (the one whose key is present), so
 * the message is about their field and not "invalid input".
 */
function zodProblems(error: z.ZodError, prefix: PathKey[], at: At, root: unknown): ScenarioProblem[] {
  const out: ScenarioProblem[] = [];
  const visit = (issue: z.core.$ZodIssue, base: PathKey[]) => {
    const path = [...base, ...(issue.path as PathKey[])];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      const value = valueAt(root, path);
      const branch = pickBranch(issue.errors, value);
      if (branch) {
        for (const i of branch) visit(i, path);
        return;
      }
      const keys = unionKeys(issue.errors, value);
      if (keys.length > 1) {
        // Keys no branch knows are likely the typo.
        const unknownTo = (issues: z.core.$ZodIssue[]) => issues.flatMap((i) => (i.code === 'unrecognized_keys' && i.path.length === 0 ? i.keys : []));
        const found = isRecord(value) ? Object.keys(value).filter((k) => issue.errors.every((b) => unknownTo(b).includes(k))) : [];
        out.push(at(path, `expected exactly one of: ${keys.join(', ')}${found.length ? ` (unknown: ${found.join(', ')})` : ''}`));
        return;
      }
    }
    if (issue.code === 'unrecognized_keys') {
      for (const k of issue.keys) out.push(at(path, `unknown field "${k}"`, k));
      return;
    }
    const parent = valueAt(root, path.slice(0, -1));
    const last = path[path.length - 1];
    if (typeof last === 'string' && isRecord(parent) && !(last in parent)) {
      out.push(at(path.slice(0, -1), `missing field "${last}"`));
      return;
    }
    out.push(at(path, issue.message));
  };
  for (const issue of error.issues) visit(issue, prefix);
  // One problem per place and message is enough.
  const seen = new Set<string>();
  return out.filter((p) => {
    const key = `${p.line}:${p.column}:${p.field}:${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function valueAt(root: unknown, path: PathKey[]): unknown {
  let v = root;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PathKey, unknown>)[k];
  }
  return v;
}

/** The key a union branch requires that the value lacks (its "name"), if any. */
function missingKeyOf(issues: z.core.$ZodIssue[], value: unknown): string | null {
  if (!isRecord(value)) return null;
  for (const i of issues) {
    const k = i.path[0];
    if (i.path.length === 1 && typeof k === 'string' && !(k in value)) return k;
  }
  return null;
}

/**
 * Which branch of a union of one-key objects the author meant: the only one
 * not missing its own key and without unknown keys at its top.
 */
function pickBranch(branches: z.core.$ZodIssue[][], value: unknown): z.core.$ZodIssue[] | null {
  if (!isRecord(value)) return null;
  const matching = branches.filter(
    (issues) => issues.length > 0 && missingKeyOf(issues, value) === null && !issues.some((i) => i.code === 'unrecognized_keys' && i.path.length === 0),
  );
  return matching.length === 1 ? matching[0]! : null;
}

function unionKeys(branches: z.core.$ZodIssue[][], value: unknown): string[] {
  const keys: string[] = [];
  for (const issues of branches) {
    const k = missingKeyOf(issues, value);
    if (k !== null && !keys.includes(k)) keys.push(k);
  }
  return keys;
}

function crossCheck(s: Scenario): Array<{ path: PathKey[]; message: string }> {
  const out: Array<{ path: PathKey[]; message: string }> = [];
  const started = new Set<string>();
  let createdAt: PathKey[] | null = null;
  const need = (name: string, path: PathKey[]) => {
    if (name !== 'any' && !started.has(name)) out.push({ path, message: `workload "${name}" is not started by this or an earlier step` });
  };
  s.steps.forEach((step, si) => {
    step.actions.forEach((a, ai) => {
      const path: PathKey[] = ['steps', si, 'actions', ai];
      if ('create' in a) {
        if (createdAt) out.push({ path, message: `the target is already created at ${fieldPath(createdAt)}` });
        else if (started.size > 0) out.push({ path, message: 'the target must be created before any workload starts' });
        createdAt = path;
      } else if ('start' in a) {
        if (started.has(a.start.workload)) out.push({ path: [...path, 'start', 'workload'], message: `workload "${a.start.workload}" is already started earlier` });
        started.add(a.start.workload);
      } else if ('stop' in a) need(a.stop, [...path, 'stop']);
      else if ('inspect' in a) need(a.inspect, [...path, 'inspect']);
      else if ('wait' in a) {
        if (a.wait.oomKill !== undefined) need(a.wait.oomKill, [...path, 'wait', 'oomKill']);
        if (a.wait.exited !== undefined) need(a.wait.exited, [...path, 'wait', 'exited']);
        if (a.wait.for !== undefined && a.wait.timeout !== undefined) out.push({ path: [...path, 'wait', 'timeout'], message: '"for" waits a fixed time; a timeout makes no sense with it' });
      }
    });
    step.expect.forEach((e, ei) => {
      const path: PathKey[] = ['steps', si, 'expect', ei];
      if ('oomKilled' in e) need(e.oomKilled, [...path, 'oomKilled']);
      else if ('notOomKilled' in e) need(e.notOomKilled, [...path, 'notOomKilled']);
      else if ('exited' in e) need(e.exited.workload, [...path, 'exited', 'workload']);
      else if ('running' in e) need(e.running, [...path, 'running']);
      else if ('stopped' in e) need(e.stopped, [...path, 'stopped']);
      else if ('memoryOf' in e) need(e.memoryOf.workload, [...path, 'memoryOf', 'workload']);
      else if ('traced' in e) need(e.traced.workload, [...path, 'traced', 'workload']);
      else if ('victim' in e && e.victim.workload !== undefined) need(e.victim.workload, [...path, 'victim', 'workload']);
    });
  });
  return out;
}

export function fieldPath(path: PathKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? k : `.${k}`;
  return s;
}

/** Source offset of the deepest node on `path` that exists (or of a key in it). */
function offsetOf(doc: Document, path: PathKey[], pointAtKey?: string): number {
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : (doc.getIn(path.slice(0, n), true) as Node | undefined);
    if (!node || !(isScalar(node) || isMap(node) || 'items' in node)) continue;
    if (pointAtKey !== undefined && n === path.length && isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === pointAtKey);
      const key = pair?.key as Node | undefined;
      if (key?.range) return key.range[0];
    }
    if (node.range) return node.range[0];
  }
  return 0;
}
