// The version recorded in run-start and owner records: package.json's.
import { packageVersion } from '../lab/package-root';

export function appVersion(): string {
  return packageVersion();
}
