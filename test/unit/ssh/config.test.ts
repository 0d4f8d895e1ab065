// ssh config resolution: what ssh would use for a host spec, given a config file.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveHost } from '../../../electron/lab/ssh/config';
import { HostSpecError, parseHostSpec } from '../../../electron/lab/ssh/hostspec';
import { SshConfigError } from '../../../electron/lab/ssh/errors';

let dir: string;
let cfg: string;
const home = '/home/tester';
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'oomlab-sshcfg-'));
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(join(dir, 'conf.d', '10-inc.conf'), 'Host included\n  HostName 10.9.9.9\n  Port 2200\n');
  cfg = join(dir, 'config');
  writeFileSync(
    cfg,
    `# lab hosts
Include ${dir}/conf.d/*.conf

Host lab
  HostName 10.0.0.5
  User admin
  Port 2222
  IdentityFile ~/.ssh/lab_key
  IdentityFile "${dir}/key with space"
  ProxyJump jump1,ops@jump2:2022
  ConnectTimeout 7
  ServerAliveInterval 15
  ServerAliveCountMax 2

Host web-*
  HostName %h.example.org
  IdentitiesOnly yes
  IdentityFile %d/.ssh/id_%r_%h

Host uri
  ProxyJump ssh://root@bastion:2200

Host noproxy
  ProxyJump none
  UserKnownHostsFile ~/kh1 /abs/kh2
  HostKeyAlias lab-alias

Host badport
  Port 99999

Host *
  User fallback
  IdentityFile ~/.ssh/all
`,
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const r = (spec: string) => resolveHost(spec, { configFile: cfg, home, localUser: 'me' });

describe('resolveHost', () => {
  it('applies a Host block: HostName, User, Port, identities in order, ProxyJump hops, timeouts', () => {
    const h = r('lab');
    expect(h).toMatchObject({
      alias: 'lab',
      hostName: '10.0.0.5',
      user: 'admin',
      port: 2222,
      identitiesFromConfig: true,
      identitiesOnly: false,
      proxyJump: [{ host: 'jump1' }, { user: 'ops', host: 'jump2', port: 2022 }],
      connectTimeoutMs: 7000,
      serverAliveIntervalMs: 15000,
      serverAliveCountMax: 2,
      passwordPrompts: 3,
    });
    // IdentityFile accumulates across matching blocks, first block first.
    expect(h.identityFiles).toEqual(['/home/tester/.ssh/lab_key', `${dir}/key with space`, '/home/tester/.ssh/all']);
  });

  it('lets the typed user and port win over the config', () => {
    expect(r('root@lab:2200')).toMatchObject({ user: 'root', port: 2200, hostName: '10.0.0.5' });
  });

  it('expands %h in HostName and %d %r %h in IdentityFile', () => {
    const h = r('web-1');
    expect(h.hostName).toBe('web-1.example.org');
    expect(h.user).toBe('fallback');
    expect(h.identitiesOnly).toBe(true);
    expect(h.identityFiles[0]).toBe('/home/tester/.ssh/id_fallback_web-1.example.org');
  });

  it('reads ssh:// ProxyJump URIs and "none"', () => {
    expect(r('uri').proxyJump).toEqual([{ user: 'root', host: 'bastion', port: 2200 }]);
    expect(r('noproxy').proxyJump).toEqual([]);
  });

  it('reads UserKnownHostsFile lists and HostKeyAlias', () => {
    const h = r('noproxy');
    expect(h.userKnownHostsFiles).toEqual(['/home/tester/kh1', '/abs/kh2']);
    expect(h.hostKeyAlias).toBe('lab-alias');
  });

  it('follows Include with a glob', () => {
    expect(r('included')).toMatchObject({ hostName: '10.9.9.9', port: 2200 });
  });

  it('falls back to defaults for an unknown host', () => {
    const h = r('10.1.1.1');
    expect(h).toMatchObject({ hostName: '10.1.1.1', user: 'fallback', port: 22, proxyJump: [] });
    expect(h.userKnownHostsFiles).toEqual(['/home/tester/.ssh/known_hosts', '/home/tester/.ssh/known_hosts2']);
  });

  it('uses the default identities when the config names none', () => {
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    const h = resolveHost('x', { configFile: empty, home, localUser: 'me' });
    expect(h.user).toBe('me');
    expect(h.identitiesFromConfig).toBe(false);
    expect(h.identityFiles).toContain('/home/tester/.ssh/id_ed25519');
  });

  it('names the host and directive for a bad value', () => {
    expect(() => r('badport')).toThrow(/badport: ssh config Port: port 99999 is out of range/);
    expect(() => resolveHost('x', { configFile: join(dir, 'missing') })).toThrow(SshConfigError);
  });
});

describe('parseHostSpec', () => {
  it('reads user, host, port and bracketed IPv6', () => {
    expect(parseHostSpec('root@127.0.0.1:2222')).toEqual({ user: 'root', host: '127.0.0.1', port: 2222 });
    expect(parseHostSpec('lab')).toEqual({ host: 'lab' });
    expect(parseHostSpec('me@[::1]:22')).toEqual({ user: 'me', host: '::1', port: 22 });
    expect(parseHostSpec('fe80::1')).toEqual({ host: 'fe80::1' });
  });
  it('rejects what ssh would misread', () => {
    expect(() => parseHostSpec('-oProxyCommand=x')).toThrow(/cannot start with "-"/);
    expect(() => parseHostSpec('a b')).toThrow(/whitespace/);
    expect(() => parseHostSpec('h:0')).toThrow(/out of range/);
    expect(() => parseHostSpec('h:x')).toThrow(/not a number/);
    expect(() => parseHostSpec('@h')).toThrow(/empty user/);
  });
  it('names the part of a malformed host and what is wrong with it (an input error, exit 7)', () => {
    const err = (spec: string) => {
      try {
        parseHostSpec(spec);
      } catch (e) {
        return e as HostSpecError;
      }
      throw new Error(`${spec} was accepted`);
    };
    const e = err('root@127.0.0.1:2299;touch /tmp/x');
    expect(e).toBeInstanceOf(HostSpecError);
    expect(e.kind).toBe('input');
    expect(e.message).toBe('host "root@127.0.0.1:2299;touch /tmp/x": port "2299;touch /tmp/x" is not a number');
    expect(err('ro;ot@h').message).toMatch(/the user name "ro;ot" contains ";"/);
    expect(err('h$(id)').message).toMatch(/the host name "h\$\(id\)" contains "\$"/);
    expect(err('[::1').message).toMatch(/contains "\["/);
    expect(err('h\u001b[2J').message).toMatch(/the control character U\+001b/);
  });
});
