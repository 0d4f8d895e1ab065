// A hostile image for the "images are untrusted input" tests, made here with
// `docker import` from a small rootfs of this host's own binaries (dash as
// /usr/bin/sh.real, sleep, ln, mkdir and the libraries ldd names) and two scripts:
//   /usr/bin/sh      plants symlinks at every /tmp path a lab wrapper ever used to
//                    hand over a workload (the main-mode gate file and its .tmp, the
//                    exec-mode pid/go files for any 16-hex argument), each pointing
//                    at a canary file in a temp dir on the HOST, then execs sh.real;
//   /usr/bin/stress  prints what confines it (Uid, CapEff, CapBnd, Seccomp, NoNewPrivs
//                    from /proc/self/status, its AppArmor label) and the planted links.
// The canaries get an atime older than their mtime, so with relatime a read moves it.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const CANARIES = { gate: 'gate canary\n', go: 'go canary\n', pid: '1\n' } as const;
/** Where the planted links point; `created` does not exist and must never appear. */
export interface HostileImage {
  tag: string;
  canaryDir: string;
  /** Each canary's size, times and inode (stat only: reading would move atime); whether `created` exists. */
  canaryState(): Record<string, string>;
  /** The canaries' contents as written (read once, at the end). */
  canaryContents(): Record<string, string>;
  remove(): void;
}

function sh(cmd: string, args: string[], input?: Buffer): string {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr || r.error?.message}`);
  return r.stdout;
}

/** A binary and every library it needs, copied to the same paths under root. */
function copyWithLibs(root: string, bin: string, as: string): void {
  const real = sh('readlink', ['-f', sh('sh', ['-c', `command -v ${bin}`]).trim()]).trim();
  const put = (src: string, dest: string) => {
    mkdirSync(dirname(join(root, dest)), { recursive: true });
    copyFileSync(src, join(root, dest));
    chmodSync(join(root, dest), 0o755);
  };
  put(real, as);
  for (const line of sh('ldd', [real]).split('\n')) {
    const m = /(\/\S+) \(0x[0-9a-f]+\)$/.exec(line.trim());
    if (m && !existsSync(join(root, m[1]!))) put(sh('readlink', ['-f', m[1]!]).trim(), m[1]!);
  }
}

const STRESS = `#!/usr/bin/sh.real
while read -r k v; do case $k in Uid:|CapEff:|CapBnd:|Seccomp:|NoNewPrivs:) echo "confined $k $v" ;; esac; done < /proc/self/status
a=none; read -r a 2>/dev/null < /proc/self/attr/current; echo "confined AppArmor $a"
for f in /tmp/.oomlab-go.tmp /tmp/.oomlab-go; do [ -L "$f" ] && echo "planted $f"; done
exit 0
`;

const plantingSh = (c: string) => `#!/usr/bin/sh.real
C='${c}'
# The target dir exists inside the container too, so a handover written there by the
# runtime (docker cp resolves the link inside the container) still works.
mkdir -p "$C" 2>/dev/null
pl() { [ -e "$1" ] || [ -L "$1" ] || ln -s "$2" "$1" 2>/dev/null; }
pl /tmp/.oomlab-go.tmp "$C/created"
pl /tmp/.oomlab-go "$C/gate"
for a in "$@"; do
  case $a in ????????????????) case $a in *[!0-9a-f]*) ;; *) pl "/tmp/.oomlab-pid-$a" "$C/pid"; pl "/tmp/.oomlab-go-$a" "$C/go" ;; esac ;; esac
done
exec /usr/bin/sh.real "$@"
`;

export function buildHostileImage(): HostileImage {
  const canaryDir = mkdtempSync(join(tmpdir(), 'imgtest-canary-'));
  const past = new Date(Date.now() - 3600_000);
  for (const [name, text] of Object.entries(CANARIES)) {
    writeFileSync(join(canaryDir, name), text);
    utimesSync(join(canaryDir, name), past, new Date());
  }
  const build = mkdtempSync(join(tmpdir(), 'imgtest-rootfs-'));
  const tag = `oomlab-test/hostile:${randomBytes(6).toString('hex')}`;
  try {
    const root = join(build, 'rootfs');
    for (const d of ['usr/bin', 'tmp', 'proc', 'sys', 'dev', 'etc']) mkdirSync(join(root, d), { recursive: true });
    chmodSync(join(root, 'tmp'), 0o1777);
    sh('ln', ['-s', 'usr/bin', join(root, 'bin')]);
    copyWithLibs(root, 'dash', '/usr/bin/sh.real');
    for (const b of ['sleep', 'ln', 'mkdir']) copyWithLibs(root, b, `/usr/bin/${b}`);
    writeFileSync(join(root, 'usr/bin/sh'), plantingSh(canaryDir), { mode: 0o755 });
    writeFileSync(join(root, 'usr/bin/stress'), STRESS, { mode: 0o755 });
    const tar = spawnSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 256 * 1024 * 1024 });
    if (tar.status !== 0) throw new Error(`tar: ${tar.stderr}`);
    sh('docker', ['import', '--change', 'ENV PATH=/usr/bin:/bin', '-', tag], tar.stdout);
  } finally {
    rmSync(build, { recursive: true, force: true });
  }
  return {
    tag,
    canaryDir,
    canaryState() {
      const out: Record<string, string> = {};
      for (const name of Object.keys(CANARIES)) {
        const f = join(canaryDir, name);
        const s = statSync(f);
        out[name] = `size ${s.size} ino ${s.ino} mtime ${s.mtimeMs} ctime ${s.ctimeMs} atime ${s.atimeMs}`;
      }
      out.created = existsSync(join(canaryDir, 'created')) ? 'exists' : 'absent';
      return out;
    },
    canaryContents() {
      return Object.fromEntries(Object.keys(CANARIES).map((name) => [name, readFileSync(join(canaryDir, name), 'utf8')]));
    },
    remove() {
      spawnSync('docker', ['image', 'rm', '--force', tag], { stdio: 'ignore' });
      rmSync(canaryDir, { recursive: true, force: true });
    },
  };
}

/** The confinement lines a plain `docker exec <container> stress` prints (the reference). */
export function dockerExecConfinement(container: string): string[] {
  return confinementLines(sh('docker', ['exec', container, 'stress']));
}

export function confinementLines(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('confined ')).sort();
}

/** This test process's own CapEff (host root's). */
export function hostCapEff(): string {
  return /^CapEff:\s+(\S+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]!;
}
