import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { isOurQemu, sshArgs, STATE_FILE } from '../../../electron/lab/labvm/launch';
import { cliRunDir, runningVm } from '../../../electron/cli/labvm';

describe('the recorded lab VM', () => {
  it('never takes a live pid that is not our qemu for the VM (pid reuse)', () => {
    const root = mkdtempSync(join(tmpdir(), 'oomlab-labvm-state-'));
    try {
      const runDir = cliRunDir(root);
      mkdirSync(runDir, { recursive: true });
      // This test process is alive, but it is not a qemu started for runDir.
      writeFileSync(join(runDir, STATE_FILE), JSON.stringify({ pid: process.pid, runDir }));
      expect(isOurQemu(process.pid, runDir)).toBe(false);
      expect(runningVm(root)).toBeNull();
      expect(existsSync(join(runDir, STATE_FILE))).toBe(false);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('names a bad state file', () => {
    const root = mkdtempSync(join(tmpdir(), 'oomlab-labvm-state-'));
    try {
      mkdirSync(cliRunDir(root), { recursive: true });
      writeFileSync(join(cliRunDir(root), STATE_FILE), '{not json');
      expect(() => runningVm(root)).toThrow(new RegExp(`${STATE_FILE}: unreadable lab VM state`));
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('gives ssh a strict, config-free command line that OpenSSH accepts', () => {
    const args = sshArgs({ identityFile: '/k/id', knownHostsFile: '/r/known_hosts', port: 2222, host: '127.0.0.1' }, 'lab');
    expect(args).toEqual(expect.arrayContaining(['-F', 'none', 'StrictHostKeyChecking=yes', 'UserKnownHostsFile=/r/known_hosts', 'BatchMode=yes', 'lab@127.0.0.1']));
    // `ssh -G` parses the options and prints the result without connecting.
    const g = spawnSync('ssh', ['-G', ...args], { encoding: 'utf8' });
    if (g.error) return; // no OpenSSH client here; the VM suite covers the real thing
    expect(g.status, g.stderr).toBe(0);
    expect(g.stdout).toMatch(/^port 2222$/m);
    expect(g.stdout).toMatch(/^stricthostkeychecking true$/m);
  });
});
