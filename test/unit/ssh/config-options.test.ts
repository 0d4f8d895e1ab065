// ssh_config options that change how a connection is checked, authenticated or
// routed (issue 13 item 5): each is honoured, or the host is refused with the
// option and its file:line (ssh/config-options.ts). Table-driven.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveHost } from '../../../electron/lab/ssh/config';
import { SshConfigError } from '../../../electron/lab/ssh/errors';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oomlab-sshopts-'));
  mkdirSync(join(dir, 'conf.d'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** Resolve `lab` with this block (line 1 is "Host lab", so a directive on the k-th body line is at line k+1). */
function resolve(body: string, spec = 'lab') {
  const file = join(dir, `config-${++n}`);
  writeFileSync(file, `Host lab\n${body}\n`);
  return { file, get: () => resolveHost(spec, { configFile: file, home: '/home/t', localUser: 't' }) };
}

const refused: Array<[string, string]> = [
  ['ProxyCommand ssh -W %h:%p bastion', 'ProxyCommand'],
  ['ProxyUseFdpass yes', 'ProxyUseFdpass'],
  ['KnownHostsCommand /usr/bin/get-keys %H', 'KnownHostsCommand'],
  ['CertificateFile ~/.ssh/id_ed25519-cert.pub', 'CertificateFile'],
  ['PKCS11Provider /usr/lib/opensc-pkcs11.so', 'PKCS11Provider'],
  ['SecurityKeyProvider /usr/lib/libsk.so', 'SecurityKeyProvider'],
  ['CheckHostIP yes', 'CheckHostIP'],
  ['VerifyHostKeyDNS yes', 'VerifyHostKeyDNS'],
  ['RevokedHostKeys ~/.ssh/revoked', 'RevokedHostKeys'],
  ['HostbasedAuthentication yes', 'HostbasedAuthentication'],
  ['BindInterface eth1', 'BindInterface'],
  ['RemoteCommand tmux attach', 'RemoteCommand'],
  ['PermitLocalCommand yes', 'PermitLocalCommand'],
  ['HostKeyAlgorithms sk-ssh-ed25519@openssh.com', 'HostKeyAlgorithms'],
  ['Ciphers none-the-lab-knows', 'Ciphers'],
];

describe('options the lab does not implement: the host is refused, naming option and file:line', () => {
  it.each(refused)('%s', (line, option) => {
    const { file, get } = resolve(`  HostName 10.0.0.5\n  ${line}`);
    const err = (() => {
      try {
        get();
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(SshConfigError);
    expect((err as Error).message).toContain(`${file}:3: ${option} `);
    expect((err as Error).message).toMatch(/will not connect to lab as ssh would/);
  });

  it('names the included file and its line', () => {
    writeFileSync(join(dir, 'conf.d', 'proxy.conf'), '# a comment\nHost lab\n  ProxyCommand nc %h %p\n');
    const { get } = resolve(`  Port 2222\nInclude ${dir}/conf.d/*.conf`);
    expect(get).toThrow(`${join(dir, 'conf.d', 'proxy.conf')}:3: ProxyCommand nc %h %p`);
  });

  it('refuses a config with Match exec (its commands are never run, so the block may or may not apply)', () => {
    const { file, get } = resolve(`  Port 2222\nMatch host lab exec "test -f /tmp/on-vpn"\n  ProxyJump bastion`);
    expect(get).toThrow(`${file}:3: Match exec`);
  });

  it.each(['ProxyCommand none', 'KnownHostsCommand none', 'CheckHostIP no', 'VerifyHostKeyDNS no', 'HostbasedAuthentication no', 'PermitLocalCommand no', 'RemoteCommand none', 'SecurityKeyProvider internal'])(
    'accepts %s (the option is off)',
    (line) => {
      expect(() => resolve(`  ${line}`).get()).not.toThrow();
    },
  );

  it('accepts options it leaves alone on purpose (Debian defaults, forwards, multiplexing)', () => {
    const r = resolve('  GSSAPIAuthentication yes\n  SendEnv LANG LC_*\n  ControlMaster auto\n  ControlPath ~/.ssh/cm-%r@%h:%p\n  ForwardAgent yes\n  LocalForward 8080 localhost:80').get();
    expect(r.hostName).toBe('lab');
  });
});

describe('options the lab honours', () => {
  it.each<[string, object]>([
    ['', { strictHostKeyChecking: { mode: 'ask', where: null }, hashKnownHosts: false, authMethods: ['publickey', 'password', 'keyboard-interactive'], addressFamily: 'any' }],
    ['StrictHostKeyChecking yes', { strictHostKeyChecking: { mode: 'yes' } }],
    ['StrictHostKeyChecking accept-new', { strictHostKeyChecking: { mode: 'accept-new' } }],
    ['StrictHostKeyChecking no', { strictHostKeyChecking: { mode: 'no' } }],
    ['StrictHostKeyChecking off', { strictHostKeyChecking: { mode: 'no' } }],
    ['StrictHostKeyChecking ask', { strictHostKeyChecking: { mode: 'ask' } }],
    ['HashKnownHosts yes', { hashKnownHosts: true }],
    ['PasswordAuthentication no', { authMethods: ['publickey', 'keyboard-interactive'] }],
    ['KbdInteractiveAuthentication no', { authMethods: ['publickey', 'password'] }],
    ['PubkeyAuthentication no', { authMethods: ['password', 'keyboard-interactive'] }],
    ['PreferredAuthentications keyboard-interactive,password', { authMethods: ['keyboard-interactive', 'password'] }],
    ['PreferredAuthentications gssapi-with-mic,publickey', { authMethods: ['publickey'] }],
    ['BindAddress 10.0.0.9', { bindAddress: '10.0.0.9' }],
    ['AddressFamily inet6', { addressFamily: 'inet6' }],
    ['Ciphers aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,no-such-cipher', { algorithms: { cipher: ['aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com'] } }],
    ['HostKeyAlgorithms ssh-ed25519,rsa-sha2-512', { algorithms: { serverHostKey: ['ssh-ed25519', 'rsa-sha2-512'] } }],
    ['RequiredRSASize 3072', { requiredRsaBits: 3072 }],
  ])('%s', (line, want) => {
    expect(resolve(`  ${line}`).get().security).toMatchObject(want);
  });

  it('reads algorithm lists with OpenSSH\'s + - ^ and wildcards, offering only what the config allows', () => {
    const kex = resolve('  KexAlgorithms -*sha1*').get().security.algorithms.kex!;
    expect(kex.length).toBeGreaterThan(0);
    expect(kex.some((k) => k.includes('sha1'))).toBe(false);
    expect(resolve('  MACs ^hmac-sha2-512').get().security.algorithms.hmac![0]).toBe('hmac-sha2-512');
    expect(resolve('  Ciphers +aes128-cbc').get().security.algorithms.cipher).toContain('aes128-cbc');
    expect(resolve('').get().security.algorithms).toEqual({});
  });

  it('reads PubkeyAcceptedAlgorithms (and its old name) as a filter on the keys offered', () => {
    const rsa = ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
    const only = resolve('  PubkeyAcceptedAlgorithms ssh-ed25519,ecdsa-*').get().security;
    expect([only.pubkeyAllowed(['ssh-ed25519']), only.pubkeyAllowed(['ecdsa-sha2-nistp256']), only.pubkeyAllowed(rsa)]).toEqual([true, true, false]);
    const noSha1 = resolve('  PubkeyAcceptedKeyTypes -ssh-rsa').get().security;
    expect([noSha1.pubkeyAllowed(rsa), noSha1.pubkeyAllowed(['ssh-rsa'])]).toEqual([true, false]);
    expect(resolve('').get().security.pubkeyAllowed(['ssh-dss'])).toBe(true);
  });

  it("connects under a crypto policy like Fedora's (every list set from an Include in /etc/ssh)", () => {
    writeFileSync(
      join(dir, 'crypto-policy.conf'),
      [
        'Ciphers aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes256-ctr,aes128-gcm@openssh.com,aes128-ctr',
        'MACs hmac-sha2-256-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-512-etm@openssh.com',
        'GSSAPIKexAlgorithms gss-curve25519-sha256-,gss-nistp256-sha256-',
        'KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,sntrup761x25519-sha512@openssh.com',
        'PubkeyAcceptedAlgorithms ecdsa-sha2-nistp256,ssh-ed25519,rsa-sha2-256,rsa-sha2-512',
        'HostbasedAcceptedAlgorithms ecdsa-sha2-nistp256,ssh-ed25519',
        'CASignatureAlgorithms ecdsa-sha2-nistp256,ssh-ed25519,rsa-sha2-256',
        'RequiredRSASize 2048',
        '',
      ].join('\n'),
    );
    const s = resolve(`  User root\nHost *\n  GSSAPIAuthentication yes\nInclude ${dir}/crypto-policy.conf`).get().security;
    expect(s.algorithms.hmac).toEqual(['hmac-sha2-256-etm@openssh.com', 'hmac-sha1-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com']);
    expect(s.algorithms.kex).not.toContain('sntrup761x25519-sha512@openssh.com');
    expect(s.requiredRsaBits).toBe(2048);
  });

  it('says where StrictHostKeyChecking was set, and refuses a value ssh would refuse', () => {
    const { file, get } = resolve('  User root\n  StrictHostKeyChecking accept-new');
    expect(get().security.strictHostKeyChecking.where).toBe(`${file}:3`);
    expect(() => resolve('  StrictHostKeyChecking maybe').get()).toThrow(/StrictHostKeyChecking: expected yes, accept-new, no or ask, got "maybe"/);
  });

  it('reads UserKnownHostsFile and GlobalKnownHostsFile lists, "none" meaning no file', () => {
    const r = resolve('  UserKnownHostsFile none\n  GlobalKnownHostsFile /etc/ssh/lab_known_hosts none').get();
    expect(r.userKnownHostsFiles).toEqual([]);
    expect(r.globalKnownHostsFiles).toEqual(['/etc/ssh/lab_known_hosts']);
  });
});
