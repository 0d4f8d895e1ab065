// The scenario schema as JSON Schema, for editors (scenarios/schema.json; a
// YAML file opts in with `# yaml-language-server: $schema=./schema.json`).
// Regenerate: npx tsx electron/lab/scenario/json-schema.ts
// test/unit/scenario/json-schema.test.ts fails when the file is stale.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../package-root';
import { Scenario } from './schema';

export const SCHEMA_FILE = join(packageRoot(), 'scenarios', 'schema.json');

export function scenarioJsonSchema(): string {
  // io: 'input' describes what authors write (sizes as "123Mi"), not the parsed values.
  const schema = z.toJSONSchema(Scenario, { io: 'input', unrepresentable: 'any' });
  return JSON.stringify({ ...schema, $id: 'https://oomlab.dev/schemas/scenario.json', title: 'OOM Lab scenario' }, null, 2) + '\n';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(SCHEMA_FILE, scenarioJsonSchema());
  process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
}
