import { describe, expect, it } from 'vitest';
import { cacheRoot, contentKey, PACKAGES } from '../../../electron/lab/labvm/config';
import { rootfsFiles } from '../../../electron/lab/labvm/rootfs';

describe('lab VM recipe', () => {
  it('has a stable content key', () => {
    expect(contentKey()).toMatch(/^[0-9a-f]{16}$/);
    expect(contentKey()).toBe(contentKey());
  });

  it('puts the cache under $OOMLAB_LABVM_CACHE or the XDG cache dir', () => {
    expect(cacheRoot({ OOMLAB_LABVM_CACHE: '/x' })).toBe('/x');
    expect(cacheRoot({ XDG_CACHE_HOME: '/c' })).toBe('/c/oomlab/labvm');
  });

  it('installs the lab tools and allows key logins only', () => {
    expect(PACKAGES).toEqual(expect.arrayContaining(['stress', 'stress-ng', 'openssh-server', 'sudo', 'systemd-sysv']));
    const sshd = rootfsFiles().find((f) => f.path.startsWith('/etc/ssh/sshd_config.d/'))!.content;
    expect(sshd).toMatch(/^PasswordAuthentication no$/m);
    expect(sshd).toMatch(/^KbdInteractiveAuthentication no$/m);
    expect(sshd).toMatch(/^PermitRootLogin prohibit-password$/m);
  });
});
