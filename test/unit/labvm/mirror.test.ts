import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debianMirror, parseListFile, parseSourcesFile, pickMirror } from '../../../electron/lab/labvm/mirror';

// Verbatim /etc/apt/sources.list.d/debian.sources of the Debian 12 machine the lab VM was first built on.
const DEBIAN_SOURCES = `Types: deb
# http://snapshot.debian.org/archive/debian/20250520T000000Z
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
# http://snapshot.debian.org/archive/debian-security/20250520T000000Z
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
`;

describe('apt sources', () => {
  it('reads deb822 stanzas with their starting line', () => {
    const s = parseSourcesFile(DEBIAN_SOURCES, 'debian.sources');
    expect(s.map((x) => [x.uri, x.suites, x.where])).toEqual([
      ['http://deb.debian.org/debian', ['bookworm', 'bookworm-updates'], 'debian.sources:1'],
      ['http://deb.debian.org/debian-security', ['bookworm-security'], 'debian.sources:8'],
    ]);
    expect(pickMirror(s, 'bookworm')?.uri).toBe('http://deb.debian.org/debian');
    expect(pickMirror(s, 'trixie')).toBeNull();
  });

  it('skips deb-src, disabled stanzas and comments', () => {
    const s = parseSourcesFile('Types: deb-src\nURIs: http://src.example/debian\nSuites: bookworm\n\nTypes: deb\nEnabled: no\nURIs: http://off.example/debian\nSuites: bookworm\n', 'x.sources');
    expect(s).toEqual([]);
  });

  it('reads one-line sources with options', () => {
    const s = parseListFile('# comment\ndeb-src http://a/debian bookworm main\ndeb [arch=amd64 signed-by=/k.gpg] http://mirror.example/debian bookworm main contrib # tail\n', 'sources.list');
    expect(s).toEqual([{ uri: 'http://mirror.example/debian', suites: ['bookworm'], components: ['main', 'contrib'], where: 'sources.list:3' }]);
  });

  it('prefers $OOMLAB_LABVM_MIRROR, then apt, then deb.debian.org', () => {
    const etc = mkdtempSync(join(tmpdir(), 'oomlab-apt-'));
    mkdirSync(join(etc, 'sources.list.d'));
    expect(debianMirror('bookworm', {}, etc)).toEqual({ uri: 'http://deb.debian.org/debian', from: 'default' });
    writeFileSync(join(etc, 'sources.list.d', 'local.list'), 'deb http://apt.example/debian bookworm main\n');
    expect(debianMirror('bookworm', {}, etc)).toEqual({ uri: 'http://apt.example/debian', from: join(etc, 'sources.list.d', 'local.list') + ':1' });
    expect(debianMirror('bookworm', { OOMLAB_LABVM_MIRROR: 'http://m/debian' }, etc).uri).toBe('http://m/debian');
  });
});
