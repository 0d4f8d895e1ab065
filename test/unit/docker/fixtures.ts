// Reads the captured Docker output in test/fixtures/docker/ (see its README).
import { readFileSync } from 'node:fs';

export function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/docker/${name}`, import.meta.url), 'utf8');
}
