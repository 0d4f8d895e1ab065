// The configuration files the builder writes into the image, as data: the
// content key hashes them, so editing one here rebuilds the image.

export interface RootfsFile {
  /** Absolute path inside the image. */
  path: string;
  content: string;
  mode: number;
}

export function rootfsFiles(): RootfsFile[] {
  return [
    { path: '/etc/hostname', mode: 0o644, content: 'oomlab-labvm\n' },
    { path: '/etc/hosts', mode: 0o644, content: '127.0.0.1\tlocalhost\n127.0.1.1\toomlab-labvm\n::1\tlocalhost ip6-localhost ip6-loopback\n' },
    // The image is a fresh mkfs every build and runs with -snapshot: no fsck at boot.
    { path: '/etc/fstab', mode: 0o644, content: '/dev/vda\t/\text4\trw,noatime\t0\t0\n' },
    // qemu's user network hands out 10.0.2.15 by DHCP; restrict=on keeps the guest off every network.
    {
      path: '/etc/systemd/network/20-wired.network',
      mode: 0o644,
      content: '[Match]\nName=eth*\n\n[Network]\nDHCP=ipv4\nLinkLocalAddressing=no\nIPv6AcceptRA=no\n',
    },
    { path: '/etc/resolv.conf', mode: 0o644, content: '# The lab VM has no network beyond the forwarded SSH port (qemu user net, restrict=on).\n' },
    // Keys only; root may log in with the key generated for this image.
    {
      path: '/etc/ssh/sshd_config.d/oomlab-labvm.conf',
      mode: 0o644,
      content: [
        '# oomlab lab VM: key authentication only.',
        'HostKey /etc/ssh/ssh_host_ed25519_key',
        'PermitRootLogin prohibit-password',
        'PasswordAuthentication no',
        'KbdInteractiveAuthentication no',
        'UseDNS no',
        'PrintMotd no',
        '',
      ].join('\n'),
    },
    // Journal in memory: nothing to flush at poweroff, and -snapshot discards it anyway.
    { path: '/etc/systemd/journald.conf.d/oomlab-labvm.conf', mode: 0o644, content: '[Journal]\nStorage=volatile\n' },
    { path: '/etc/sudoers.d/oomlab-lab', mode: 0o440, content: '# The lab user runs the lab through `sudo -n`.\nlab ALL=(ALL:ALL) NOPASSWD: ALL\n' },
    {
      path: '/etc/initramfs-tools/conf.d/oomlab-labvm.conf',
      mode: 0o644,
      content: '# Only the virtio disk and ext4 are needed to mount root: a 6 MB initramfs instead of 36 MB.\nMODULES=list\n',
    },
    {
      path: '/etc/motd',
      mode: 0o644,
      content: '\nOOM Lab VM: a disposable cgroup v2 host. Every change is discarded at poweroff.\n\n',
    },
  ];
}

/** Units that only cost boot time in an offline, throwaway VM. */
export const MASKED_UNITS: readonly string[] = [
  'apt-daily.timer',
  'apt-daily-upgrade.timer',
  'e2scrub_all.timer',
  'e2scrub_reap.service',
  'fstrim.timer',
  'systemd-networkd-wait-online.service',
  'getty@tty1.service',
];
