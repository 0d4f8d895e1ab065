import { describe, expect, it } from 'vitest';
import { DockerUnavailableError, parseDockerInfo } from '../../../electron/lab/docker/info';
import { fixture } from './fixtures';

describe('parseDockerInfo', () => {
  it('reads the cgroup layout of a real dockerd 20.10 (cgroupfs, v1)', () => {
    expect(parseDockerInfo(fixture('info.json'), 'local')).toEqual({
      serverVersion: '20.10.24+dfsg1',
      cgroupDriver: 'cgroupfs',
      cgroupVersion: '1',
      memoryLimit: true,
      swapLimit: true,
      rootless: false,
      warnings: expect.any(Array),
    });
  });

  it('a client that cannot reach its daemon: a clear error with docker\'s own words', () => {
    const f = () => parseDockerInfo(fixture('info-no-daemon.json'), 'root@lab:22', fixture('info-no-daemon.stderr'));
    expect(f).toThrow(DockerUnavailableError);
    expect(f).toThrow(/^root@lab:22: the Docker daemon does not answer: Cannot connect to the Docker daemon/);
  });

  it('no JSON at all (an old client, or a shell error)', () => {
    expect(() => parseDockerInfo('', 'h', 'docker: command not found')).toThrow(/^h: docker info printed no JSON: docker: command not found$/);
  });

  it('recognises a rootless daemon and a v2 host', () => {
    const raw = JSON.parse(fixture('info.json'));
    raw.SecurityOptions = ['name=seccomp,profile=default', 'name=rootless', 'name=cgroupns'];
    raw.CgroupVersion = '2';
    raw.CgroupDriver = 'systemd';
    expect(parseDockerInfo(JSON.stringify(raw), 'h')).toMatchObject({ rootless: true, cgroupVersion: '2', cgroupDriver: 'systemd' });
  });
});
