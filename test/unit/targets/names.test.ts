import { describe, expect, it } from 'vitest';
import { checkMount, checkRunId, checkWorkloadId, leafName, targetName, workloadFromPath } from '../../../electron/lab/targets/names';

describe('names', () => {
  it('builds oomlab-<runId> and wl-<id>', () => {
    expect(targetName('20261123-150346-1947')).toBe('oomlab-20261123-150346-1947');
    expect(leafName('hog_1')).toBe('wl-hog_1');
  });

  it.each(['', '-x', '../etc', 'a/b', 'a b', "a'b", 'x'.repeat(65)])('rejects run id %j', (id) => {
    expect(() => checkRunId(id)).toThrow(/run id/);
  });

  it.each(['', '.hidden', 'a/b', 'a$b', 'x'.repeat(49)])('rejects workload id %j', (id) => {
    expect(() => checkWorkloadId(id)).toThrow(/workload id/);
  });

  it('maps a task_memcg path back to its workload', () => {
    expect(workloadFromPath('/oomlab/oomlab-r1', '/oomlab/oomlab-r1/wl-hog')).toBe('hog');
    expect(workloadFromPath('/oomlab/oomlab-r1', '/oomlab/oomlab-r1')).toBeNull();
    expect(workloadFromPath('/oomlab/oomlab-r1', '/oomlab/oomlab-r10/wl-hog')).toBeNull();
    expect(workloadFromPath('/oomlab/oomlab-r1', null)).toBeNull();
  });

  it('accepts only plain absolute mount points', () => {
    expect(checkMount('/sys/fs/cgroup/memory/', 'h')).toBe('/sys/fs/cgroup/memory');
    expect(() => checkMount(null, 'h')).toThrow(/h: the probe found no memory cgroup mount/);
    expect(() => checkMount('/sys/$(x)', 'h')).toThrow(/odd/);
  });
});
