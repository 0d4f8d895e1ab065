import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { dockerWrapperScript, gateScript, type DockerWrapperOptions } from '../../../electron/lab/docker/wrapper';

const ID = '7c467301f96beb49c32d59edd631c34324ec3994b907bc18136ac7283c5c9ed0';
const base: DockerWrapperOptions = {
  nonce: '0123456789abcdef',
  mode: 'exec',
  container: ID,
  targetDir: `/sys/fs/cgroup/memory/docker/${ID}`,
  leafDir: `/sys/fs/cgroup/memory/docker/${ID}/wl-big`,
  leafHierarchyPath: `/docker/${ID}/wl-big`,
  initPid: 4242,
  timeCapSec: 120,
  oomScoreAdj: null,
  argv: ['stress', '--vm', '1', '--vm-bytes', "100M; echo 'pwned'"],
  leafEvents: 'memory.oom_control',
  reportPids: false,
};

const syntaxOk = (s: string) => spawnSync('/bin/sh', ['-n', '-c', s], { encoding: 'utf8' });

describe('dockerWrapperScript', () => {
  it('exec and main scripts are valid POSIX sh (dash -n)', () => {
    for (const mode of ['exec', 'main'] as const) {
      const r = syntaxOk(dockerWrapperScript({ ...base, mode, oomScoreAdj: 500, reportPids: true }));
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
  });

  it('exec: docker exec -i with the argv as separate positional words, never shell text', () => {
    const s = dockerWrapperScript(base);
    expect(s).toContain(`set -- docker exec -i "$C" sh -c "$INNER" oomlab-workload stress --vm 1 --vm-bytes '100M; echo '\\''pwned'\\'''`);
  });

  it('never opens a path through /proc/<pid>/root, in either mode', () => {
    for (const mode of ['exec', 'main'] as const) {
      const s = dockerWrapperScript({ ...base, mode });
      expect(s).not.toMatch(/\/root\b/);
      expect(s).not.toMatch(/\$R\b/);
    }
    expect(dockerWrapperScript({ ...base, mode: 'main' })).toContain('docker cp "$W/go" "$C:/tmp/.oomlab-go"');
  });

  it('main: the gate gets a quoted exec line', () => {
    expect(gateScript(['stress', '--vm-bytes', 'a b'])).toBe(`exec stress --vm-bytes 'a b'\n`);
  });

  it('oom_score_adj is written from the host, to the pid it just moved', () => {
    const s = dockerWrapperScript({ ...base, oomScoreAdj: -500 });
    expect(s).toContain('ADJ=-500');
    expect(s).toContain('printf \'%s\\n\' "$ADJ" > "/proc/$1/oom_score_adj"');
  });

  it('the gate line executes as the argv, whatever it contains', () => {
    const argv = ['printf', '%s|', "it's", '$(id)', 'a  b'];
    const r = spawnSync('/bin/sh', ['-c', gateScript(argv)], { encoding: 'utf8' });
    expect(r.stdout).toBe("it's|$(id)|a  b|");
  });

  it('refuses a bad nonce, container id or pid', () => {
    expect(() => dockerWrapperScript({ ...base, nonce: 'xyz' })).toThrow(/nonce/);
    expect(() => dockerWrapperScript({ ...base, container: 'oomlab-r1' })).toThrow(/64 hex/);
    expect(() => dockerWrapperScript({ ...base, initPid: 0 })).toThrow(/init pid/);
  });
});
