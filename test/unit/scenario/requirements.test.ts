// A scenario's or a step's `requires` against the host's facts.

import { describe, expect, it } from 'vitest';
import { unmetRequirement } from '../../../electron/lab/scenario/requirements';
import type { HostFacts } from '../../../electron/lab/host/facts';

describe('unmetRequirement', () => {
  const v1 = { host: 'local', cgroup: 'v1', memoryMount: '/sys/fs/cgroup/memory' } as HostFacts;
  const v2 = { host: 'root@vm:22', cgroup: 'v2', memoryMount: '/sys/fs/cgroup' } as HostFacts;
  const never = { lowerOomScoreAdj: () => Promise.reject(new Error('not asked')) };

  it('refuses the other cgroup version, naming the host', async () => {
    expect(await unmetRequirement({ cgroup: 'v2' }, v1, never)).toBe('needs cgroup v2; local has its memory controller on cgroup v1');
    expect(await unmetRequirement({ cgroup: 'v1' }, v1, never)).toBeNull();
    expect(await unmetRequirement({ cgroup: 'v1' }, v2, never)).toMatch(/^needs cgroup v1; root@vm:22/);
    expect(await unmetRequirement(undefined, v1, never)).toBeNull();
  });

  it('asks the host about lowering oom_score_adj only when a step needs it', async () => {
    expect(await unmetRequirement({ lowerOomScoreAdj: true }, v1, { lowerOomScoreAdj: async () => false })).toBe(
      'needs to lower oom_score_adj below 0, which root on local may not do (no CAP_SYS_RESOURCE)',
    );
    expect(await unmetRequirement({ lowerOomScoreAdj: true }, v1, { lowerOomScoreAdj: async () => true })).toBeNull();
  });
});
