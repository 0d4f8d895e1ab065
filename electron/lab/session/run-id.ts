// One run id format for the CLI, the desktop and the bench: sortable by start
// time, and valid in every name made from it (cgroup, container, pod, file).
import { randomBytes } from 'node:crypto';

/** `20261202-135226-3fa9c1`: UTC start time, then 24 random bits. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}
