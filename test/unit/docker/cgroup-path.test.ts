import { describe, expect, it } from 'vitest';
import { cgroupDir, expectedContainerCgroup, memoryCgroupOf, namesContainer, sliceToPath } from '../../../electron/lab/docker/cgroup-path';
import { parseInspectOne } from '../../../electron/lab/docker/inspect';
import { fixture } from './fixtures';

// proc-cgroup-v1-cgroupfs.txt was read from this container's PID 1.
const ID = parseInspectOne(fixture('inspect-exec-oom-running.json')).id;

describe('memoryCgroupOf', () => {
  it('finds the memory line in a real /proc/<pid>/cgroup of a container (cgroupfs, v1)', () => {
    const text = fixture('proc-cgroup-v1-cgroupfs.txt');
    expect(memoryCgroupOf(text, 'cgroup-v1')).toBe(`/docker/${ID}`);
    // This v1 host also has the unified hierarchy mounted: the v2 answer is its 0:: line.
    expect(memoryCgroupOf(text, 'cgroup-v2')).toBe(`/docker/${ID}`);
  });

  it('v2 with the systemd driver: the 0:: line (format of /proc/PID/cgroup on a pure v2 host)', () => {
    expect(memoryCgroupOf(`0::/system.slice/docker-${ID}.scope\n`, 'cgroup-v2')).toBe(`/system.slice/docker-${ID}.scope`);
    expect(memoryCgroupOf(`0::/system.slice/docker-${ID}.scope\n`, 'cgroup-v1')).toBeNull();
  });

  it('a v1 line listing several controllers', () => {
    expect(memoryCgroupOf('5:cpuacct,cpu,memory:/x/y\n', 'cgroup-v1')).toBe('/x/y');
  });
});

describe('expectedContainerCgroup', () => {
  it('cgroupfs: /docker/<id>, or under a CgroupParent', () => {
    expect(expectedContainerCgroup(ID, 'cgroupfs', '')).toBe(`/docker/${ID}`);
    expect(expectedContainerCgroup(ID, 'cgroupfs', '/lab/')).toBe(`/lab/${ID}`);
    expect(expectedContainerCgroup(ID, 'cgroupfs', 'lab')).toBe(`/lab/${ID}`);
  });

  it('systemd: a scope in system.slice, or in a nested slice', () => {
    expect(expectedContainerCgroup(ID, 'systemd', '')).toBe(`/system.slice/docker-${ID}.scope`);
    expect(expectedContainerCgroup(ID, 'systemd', 'oomlab-lab.slice')).toBe(`/oomlab.slice/oomlab-lab.slice/docker-${ID}.scope`);
  });

  it('slice names nest like systemd nests them', () => {
    expect(sliceToPath('a-b-c.slice')).toBe('/a.slice/a-b.slice/a-b-c.slice');
    expect(sliceToPath('-.slice')).toBe('');
  });
});

describe('namesContainer / cgroupDir', () => {
  it('accepts <id> and docker-<id>.scope as the last segment only', () => {
    expect(namesContainer(`/docker/${ID}`, ID)).toBe(true);
    expect(namesContainer(`/system.slice/docker-${ID}.scope`, ID)).toBe(true);
    expect(namesContainer(`/docker/${ID}/wl-x`, ID)).toBe(false);
    expect(namesContainer('/user.slice', ID)).toBe(false);
  });

  it('joins mount and path, refusing ..', () => {
    expect(cgroupDir('/sys/fs/cgroup/memory/', `/docker/${ID}`)).toBe(`/sys/fs/cgroup/memory/docker/${ID}`);
    expect(() => cgroupDir('/sys/fs/cgroup', '/docker/../etc')).toThrow(/odd cgroup path/);
    expect(() => cgroupDir('/sys/fs/cgroup', 'docker/x')).toThrow(/odd cgroup path/);
  });
});
