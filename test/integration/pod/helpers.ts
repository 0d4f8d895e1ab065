// Pod integration tests need what the Docker ones need (root, docker CLI, a
// dockerd that answers, stress) plus a real kubectl and openssl (the fake API
// server's certificates). With CI=true a missing one FAILS the file; elsewhere
// it skips with the reason.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { describe } from 'vitest';
import { dockerMissing } from '../docker/helpers';

export function podPrereqMissing(): string | null {
  const d = dockerMissing();
  if (d) return d;
  for (const [tool, pkg] of [['kubectl', 'kubernetes-client'], ['openssl', 'openssl'], ['timeout', 'coreutils']] as const) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} not found (apt-get install ${pkg})`;
  }
  if (!existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes')) return 'the fake kubelet lays pods out on a cgroup v1 memory hierarchy, and there is none at /sys/fs/cgroup/memory';
  return null;
}

export function describeWithPods(name: string, body: () => void): void {
  const missing = podPrereqMissing();
  if (missing && process.env.CI === 'true') {
    describe(name, () => {
      throw new Error(`test prerequisite missing (CI=true, not skipping): ${missing}`);
    });
    return;
  }
  if (missing) console.warn(`skipping "${name}": ${missing}`);
  describe.skipIf(missing !== null)(name, body);
}

/** Every kubepods cgroup directory in any v1 hierarchy (the fake kubelet's, or leftovers). */
export function kubepodsDirs(): string[] {
  const out: string[] = [];
  for (const h of readdirSync('/sys/fs/cgroup')) {
    const d = `/sys/fs/cgroup/${h}/kubepods`;
    if (existsSync(d)) out.push(d);
  }
  return out;
}

/** pod<uid> directories under kubepods (QoS levels included), in any hierarchy. */
export function podDirs(): string[] {
  const out: string[] = [];
  for (const root of kubepodsDirs()) {
    for (const sub of ['', '/burstable', '/besteffort']) {
      const d = root + sub;
      if (!existsSync(d)) continue;
      for (const e of readdirSync(d)) if (e.startsWith('pod')) out.push(`${d}/${e}`);
    }
  }
  return out;
}
