import { describe, expect, it } from 'vitest';
import { qemuArgs, type QemuSpec } from '../../../electron/lab/labvm/qemu';

const spec: QemuSpec = {
  kernel: '/c/vmlinuz',
  initrd: '/c/initrd.img',
  image: '/c/image.ext4',
  consoleLog: '/r/console.log',
  sshPort: 40022,
  accel: 'tcg',
  memoryMiB: 1024,
  cpus: 2,
};

const opt = (args: string[], flag: string) => args.filter((_, i) => args[i - 1] === flag);

describe('qemu command line', () => {
  it('forwards only loopback SSH on a restricted user network', () => {
    const a = qemuArgs(spec);
    expect(opt(a, '-netdev')).toEqual(['user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:40022-:22']);
    expect(a).toContain('-nodefaults');
    expect(a.filter((x) => x === '-netdev' || x === '-net' || x === '-nic')).toHaveLength(1);
  });

  it('boots the cached image on a throwaway snapshot with the console in a file', () => {
    const a = qemuArgs(spec);
    expect(a).toContain('-snapshot');
    expect(opt(a, '-drive')).toEqual(['file=/c/image.ext4,if=virtio,format=raw,cache=unsafe']);
    expect(opt(a, '-serial')).toEqual(['file:/r/console.log']);
    expect(opt(a, '-m')).toEqual(['1024']);
    expect(a).not.toContain('-daemonize');
    expect(qemuArgs({ ...spec, pidFile: '/r/qemu.pid' })).toEqual(expect.arrayContaining(['-daemonize', '-pidfile', '/r/qemu.pid']));
  });

  it('rejects values qemu would misparse', () => {
    expect(() => qemuArgs({ ...spec, image: '/c/a,b.ext4' })).toThrow(/comma/);
    expect(() => qemuArgs({ ...spec, sshPort: 0 })).toThrow(/port/);
    expect(() => qemuArgs({ ...spec, memoryMiB: 100 })).toThrow(/256/);
  });
});
