// known_hosts parsing and matching with OpenSSH's rules. The hashed lines were
// written by `ssh-keygen -H` (OpenSSH 9.2) on this machine from:
//   lab.example.org <key A>
//   [10.1.2.3]:2222 <key B>
// and the fingerprints are what `ssh-keygen -lf -E sha256` printed for the keys.
import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  appendKnownHost,
  changedKeyWarning,
  checkHostKey,
  formatKnownHostLine,
  hostKeyName,
  matchPatternList,
  parseKnownHosts,
  recordedKeyTypes,
} from '../../../electron/lab/ssh/knownhosts';
import { sha256Fingerprint } from '../../../electron/lab/ssh/fingerprint';

const A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDixyvk/V1bHcTvcGfu1wNuuS/pWCaF3BrrZewimPLu/';
const B = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBNOt+ZJE2NePENGQYOf88B3wmqLGIs4/WU4Lpye93lRWFmCDCXwj5I0YTjPg//gFmS4ukSlNNmTEatslTKn1k0g=';
const C = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK8XswqPMUSHjFYiazPsWuCkZpJwOa4WzJ/3mmVZeYn9';
const FP = { A: 'SHA256:cEO/xNnUkJneJcCLceTRgB0p6uuQJucT04gSqWPc2Os', B: 'SHA256:WrUPKQEA2DOhOlaWxkA3SeRlhUDZiLkOPipHkxBKKxs', C: 'SHA256:Edl0E+YBn1cNdiREzPvPe6TfyugNpgsWtD6RsGWfTLk' };
const HASHED = `|1|t2ByvCsGNsKntqTBKONFo4tMnz4=|J1VD+WPCyaoHWun1/xuH1D3/ogs= ${A}
|1|8pxyHPa6FO+WFF2res9m7817Z5E=|jvWTCNSdQeKPaFwhIaYw0763Qs0= ${B}
`;
const blob = (line: string) => Buffer.from(line.split(' ')[1]!, 'base64');

describe('fingerprints', () => {
  it('match ssh-keygen -l', () => {
    expect(sha256Fingerprint(blob(A))).toBe(FP.A);
    expect(sha256Fingerprint(blob(B))).toBe(FP.B);
    expect(sha256Fingerprint(blob(C))).toBe(FP.C);
  });
});

describe('known_hosts names and patterns', () => {
  it('uses [host]:port except on port 22, lower-cased', () => {
    expect(hostKeyName('Lab.Example.ORG', 22)).toBe('lab.example.org');
    expect(hostKeyName('10.1.2.3', 2222)).toBe('[10.1.2.3]:2222');
  });
  it('matches wildcards and lets a negation veto the line', () => {
    expect(matchPatternList('web1.lab', ['*.lab'])).toBe(true);
    expect(matchPatternList('web12.lab', ['web?.lab'])).toBe(false);
    expect(matchPatternList('db.lab', ['*.lab', '!db.lab'])).toBe(false);
    expect(matchPatternList('[10.1.2.3]:2222', ['[10.1.2.3]:2222'])).toBe(true);
    expect(matchPatternList('10.1.2.3', ['[10.1.2.3]:2222'])).toBe(false);
    expect(matchPatternList('a.lab', ['!b.lab'])).toBe(false); // only negations: no positive match
  });
});

describe('parseKnownHosts', () => {
  it('reads plain, comma lists, markers, comments and reports bad lines with file:line', () => {
    const r = parseKnownHosts(
      [
        '# comment',
        '',
        `lab,10.0.0.5 ${A} root@lab`,
        `@revoked * ${C}`,
        `@cert-authority *.lab ${B}`,
        `@bogus lab ${A}`,
        'lab ssh-ed25519',
        `lab ssh-rsa ${A.split(' ')[1]}`,
        'lab ssh-ed25519 not*base64',
      ].join('\n'),
      '/k',
    );
    expect(r.entries.map((e) => [e.marker, e.patterns, e.keyType, e.where])).toEqual([
      [null, ['lab', '10.0.0.5'], 'ssh-ed25519', '/k:3'],
      ['revoked', ['*'], 'ssh-ed25519', '/k:4'],
      ['cert-authority', ['*.lab'], 'ecdsa-sha2-nistp256', '/k:5'],
    ]);
    expect(r.warnings).toEqual([
      '/k:6: unknown marker @bogus, line ignored',
      '/k:7: expected "hosts keytype key", line ignored',
      '/k:8: key type ssh-rsa does not match the key (ssh-ed25519), line ignored',
      '/k:9: key is not base64, line ignored',
    ]);
  });
});

describe('checkHostKey', () => {
  const plain = parseKnownHosts(`lab.example.org ${A}\n[10.1.2.3]:2222 ${B}\n`, 'kh').entries;
  const hashed = parseKnownHosts(HASHED, 'kh').entries;

  it('knows a recorded key, plain or hashed by ssh-keygen -H', () => {
    for (const entries of [plain, hashed]) {
      expect(checkHostKey(entries, 'lab.example.org', blob(A)).status).toBe('known');
      expect(checkHostKey(entries, '[10.1.2.3]:2222', blob(B)).status).toBe('known');
    }
  });

  it('says unknown for another host or another port', () => {
    for (const entries of [plain, hashed]) {
      expect(checkHostKey(entries, 'other.example.org', blob(A))).toEqual({ status: 'unknown', otherTypes: [] });
      expect(checkHostKey(entries, '10.1.2.3', blob(B)).status).toBe('unknown');
    }
  });

  it('says changed when a key of the same type is recorded for the host', () => {
    const r = checkHostKey(hashed, 'lab.example.org', blob(C));
    expect(r.status).toBe('changed');
    if (r.status === 'changed') expect(r.recorded.map((e) => e.where)).toEqual(['kh:1']);
  });

  it('says unknown (listing what is recorded) when only other key types are recorded', () => {
    const r = checkHostKey(plain, '[10.1.2.3]:2222', blob(A));
    expect(r.status).toBe('unknown');
    if (r.status === 'unknown') expect(r.otherTypes.map((e) => e.keyType)).toEqual(['ecdsa-sha2-nistp256']);
    expect(recordedKeyTypes(plain, '[10.1.2.3]:2222')).toEqual(['ecdsa-sha2-nistp256']);
  });

  it('refuses a revoked key even when it is also listed as known', () => {
    const e = parseKnownHosts(`lab ${C}\n@revoked lab ${C}\n`, 'kh').entries;
    expect(checkHostKey(e, 'lab', blob(C))).toEqual({ status: 'revoked', where: 'kh:2' });
  });

  it('ignores @cert-authority lines: they neither trust nor conflict', () => {
    const e = parseKnownHosts(`@cert-authority lab ${A}\n`, 'kh').entries;
    expect(checkHostKey(e, 'lab', blob(A)).status).toBe('unknown');
    expect(checkHostKey(e, 'lab', blob(C)).status).toBe('unknown');
  });

  it('honours negation on a plain line', () => {
    const e = parseKnownHosts(`*.lab,!evil.lab ${A}\n`, 'kh').entries;
    expect(checkHostKey(e, 'good.lab', blob(A)).status).toBe('known');
    expect(checkHostKey(e, 'evil.lab', blob(A)).status).toBe('unknown');
  });
});

describe('writing known_hosts', () => {
  it('appends in OpenSSH format that ssh-keygen -F finds, creating the file 0600', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oomlab-kh-'));
    try {
      const file = join(dir, 'sub', 'known_hosts');
      expect(appendKnownHost(file, '10.1.2.3', 2222, blob(B))).toBe(`[10.1.2.3]:2222 ${B}`);
      appendKnownHost(file, 'lab.example.org', 22, blob(A));
      expect(readFileSync(file, 'utf8')).toBe(`[10.1.2.3]:2222 ${B}\nlab.example.org ${A}\n`);
      if (existsSync('/usr/bin/ssh-keygen')) {
        expect(execFileSync('/usr/bin/ssh-keygen', ['-F', '[10.1.2.3]:2222', '-f', file], { encoding: 'utf8' })).toContain(B);
        // ssh-keygen -H output read back by us.
        execFileSync('/usr/bin/ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
        const hashed = parseKnownHosts(readFileSync(file, 'utf8')).entries;
        expect(hashed.every((e) => e.hashed !== null)).toBe(true);
        expect(checkHostKey(hashed, 'lab.example.org', blob(A)).status).toBe('known');
        expect(checkHostKey(hashed, '[10.1.2.3]:2222', blob(B)).status).toBe('known');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('adds a newline when the file does not end with one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'oomlab-kh-'));
    try {
      const file = join(dir, 'kh');
      writeFileSync(file, `lab ${A}`);
      appendKnownHost(file, 'other', 22, blob(C));
      expect(readFileSync(file, 'utf8')).toBe(`lab ${A}\nother ${C}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('formats the changed-key warning like OpenSSH, with both fingerprints', () => {
    const recorded = parseKnownHosts(`[10.1.2.3]:2222 ${A}\n`, '/root/.ssh/known_hosts').entries;
    const w = changedKeyWarning('[10.1.2.3]:2222', blob(C), recorded, '/root/.ssh/known_hosts');
    expect(w.split('\n').slice(0, 3)).toEqual([
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
      '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
      '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@',
    ]);
    expect(w).toContain(`The fingerprint for the ED25519 key sent by the remote host is\n${FP.C}.`);
    expect(w).toContain(FP.A);
    expect(w).toContain('Offending ED25519 key in /root/.ssh/known_hosts:1');
    expect(w).toContain('Host key verification failed.');
    expect(formatKnownHostLine('lab', 22, blob(C))).toBe(`lab ${C}`);
  });
});
