import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { SCHEMA_FILE, scenarioJsonSchema } from '../../../electron/lab/scenario/json-schema';

it('scenarios/schema.json is generated from the current zod schema (regenerate: npx tsx electron/lab/scenario/json-schema.ts)', () => {
  expect(readFileSync(SCHEMA_FILE, 'utf8')).toBe(scenarioJsonSchema());
});

it('the JSON Schema knows the action and expectation kinds', () => {
  const schema = JSON.parse(scenarioJsonSchema()) as { $defs: Record<string, { anyOf?: Array<{ required?: string[] }> }> };
  const keys = (id: string) => schema.$defs[id]!.anyOf!.map((b) => b.required?.[0]);
  expect(keys('Action')).toEqual(['create', 'start', 'wait', 'set', 'stop', 'read', 'inspect', 'trace']);
  expect(keys('Expectation')).toContain('oomKilled');
});
