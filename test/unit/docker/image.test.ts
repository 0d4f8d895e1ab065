import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildScript, imageTag, manifest, parseLdd, parseResolve, parseSha256sum, resolveScript } from '../../../electron/lab/docker/image';
import { fixture } from './fixtures';

describe('parseLdd', () => {
  it('reads glibc ldd lines: "name => path (addr)" and the interpreter, skipping the vdso', () => {
    const r = parseLdd('\tlinux-vdso.so.1 (0x00007fff)\n\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007f01)\n\t/lib64/ld-linux-x86-64.so.2 (0x00007f02)\n');
    expect(r).toEqual({ paths: ['/lib/x86_64-linux-gnu/libc.so.6', '/lib64/ld-linux-x86-64.so.2'], notFound: [] });
  });

  it('a static binary (real ldd output) has no libraries', () => {
    expect(parseLdd(fixture('ldd-static.txt'))).toEqual({ paths: [], notFound: [] });
  });

  it('reports what ldd could not find', () => {
    expect(parseLdd('\tlibJudy.so.1 => not found\n').notFound).toEqual(['libJudy.so.1']);
  });
});

describe('parseResolve on the real resolve output of this Debian 12 host', () => {
  const r = parseResolve(fixture('resolve-debian12.txt'));

  it('finds each tool at its real path and notes the missing one', () => {
    expect(r.tools.get('sh')).toBe('/usr/bin/dash');
    expect(r.tools.get('stress')).toBe('/usr/bin/stress');
    expect(r.tools.get('stress-ng')).toBe('/usr/bin/stress-ng');
    expect(r.missing).toEqual(['oomlab-no-such-tool']);
    expect(r.problems).toEqual([]);
  });

  it('collects every library once, stress-ng\'s too', () => {
    expect(r.libs).toContain('/lib/x86_64-linux-gnu/libc.so.6');
    expect(r.libs).toContain('/lib64/ld-linux-x86-64.so.2');
    expect(r.libs).toContain('/lib/x86_64-linux-gnu/libJudy.so.1');
    expect(new Set(r.libs).size).toBe(r.libs.length);
    expect(r.libs.some((l) => l.includes('vdso'))).toBe(false);
  });

  it('manifest: tools under /usr/bin by name, libraries where ldd found them', () => {
    const m = manifest(r);
    expect(m).toContainEqual({ src: '/usr/bin/dash', dest: '/usr/bin/sh' });
    expect(m).toContainEqual({ src: '/lib/x86_64-linux-gnu/libm.so.6', dest: '/lib/x86_64-linux-gnu/libm.so.6' });
    expect(new Set(m.map((e) => e.dest)).size).toBe(m.length);
  });
});

describe('imageTag', () => {
  const entries = [
    { src: '/usr/bin/dash', dest: '/usr/bin/sh' },
    { src: '/usr/bin/stress', dest: '/usr/bin/stress' },
  ];
  const sums = parseSha256sum(`${'a'.repeat(64)}  /usr/bin/dash\n${'b'.repeat(64)}  /usr/bin/stress\n`);

  it('is oomlab/stress:<12 hex>, stable for the same contents', () => {
    const a = imageTag(entries, sums);
    expect(a.tag).toMatch(/^oomlab\/stress:[0-9a-f]{12}$/);
    expect(imageTag(entries, sums)).toEqual(a);
  });

  it('changes when a binary changes or lands elsewhere', () => {
    const a = imageTag(entries, sums).tag;
    const changed = new Map(sums).set('/usr/bin/stress', 'c'.repeat(64));
    expect(imageTag(entries, changed).tag).not.toBe(a);
    expect(imageTag([{ src: '/usr/bin/dash', dest: '/usr/bin/ash' }, entries[1]!], sums).tag).not.toBe(a);
  });

  it('refuses a file it has no hash for', () => {
    expect(() => imageTag([{ src: '/x', dest: '/x' }], sums)).toThrow(/no sha256 for \/x/);
  });
});

describe('scripts', () => {
  const dash = (script: string) => spawnSync('/bin/sh', ['-n', '-c', script], { encoding: 'utf8' });

  it('resolveScript is valid sh and refuses odd tool names', () => {
    expect(dash(resolveScript(['sh', 'stress'])).status).toBe(0);
    expect(() => resolveScript(['sh; rm -rf /'])).toThrow(/odd tool name/);
  });

  it('buildScript is valid sh, quotes odd paths, imports with image labels only, removes its dir on exit', () => {
    const s = buildScript([{ src: "/opt/it's here/lib.so", dest: '/opt/lib.so' }, { src: '/usr/bin/dash', dest: '/usr/bin/sh' }], 'oomlab/stress:0123456789ab', 'f'.repeat(64));
    expect(dash(s).status).toBe(0);
    expect(s).toContain(`c '/opt/it'\\''s here/lib.so' /opt/lib.so`);
    expect(s).toContain(`--change 'LABEL oomlab.image=${'f'.repeat(64)}'`);
    // A container started from the image must not carry a run's label.
    expect(s).not.toContain('LABEL oomlab=1');
    expect(s).toContain("trap 'rm -rf \"$B\"' EXIT");
    expect(s).toContain('mktemp -d /var/tmp/oomlab_image.XXXXXX');
    expect(s).toContain("'ENV LD_LIBRARY_PATH=/opt'");
  });
});
