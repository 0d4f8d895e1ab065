// The workload image, built ON THE HOST from the host's own binaries, because
// lab hosts often cannot pull. A minimal rootfs: stress / stress-ng, sh, sleep
// and a few coreutils, each with the shared libraries ldd names, imported with
// `tar | docker import` as oomlab/stress:<content hash>. The tag is a hash of
// what goes in, so an unchanged host reuses its image and an upgraded binary
// gives a new one.
//
// Steps (each one Transport.exec, commands built with quote.ts):
//   1. resolve: `command -v` + `readlink -f` + `ldd` for every tool   -> parseResolve()
//   2. hash:    sha256sum of every file that goes in                 -> imageTag()
//   3. cached?  docker image inspect <tag>
//   4. build:   copy into /var/tmp/oomlab_image.XXXXXX/rootfs, check the hashes,
//               tar | docker import, remove the build dir (trap, every exit path)

import { createHash } from 'node:crypto';
import { asRoot, command, Script, sh } from '../ssh/quote';
import type { Transport } from '../ssh/transport';
import type { HostFacts } from '../host/facts';
import { LabError } from '../errors';

/** The scenario default: "build it from this host's binaries". */
export const DEFAULT_IMAGE = 'oomlab/stress';
export const IMAGE_REPO = 'oomlab/stress';
/** Bump when the rootfs layout or the image's labels change, so old tags are not reused (v2: no run label oomlab=1). */
export const BUILDER_VERSION = 2;
/** Build dirs; not "oomlab-*" so the cgroup sweep's scratch-dir rule never takes one mid-build. */
export const BUILD_DIR_PREFIX = '/var/tmp/oomlab_image.';

export interface ImageTool {
  /** Name inside the image (/usr/bin/<name>). */
  name: string;
  required: boolean;
}

/** sh and sleep run the container's PID 1; stress / stress-ng are the workloads; the rest serve ramp and cache-writer. */
export const IMAGE_TOOLS: readonly ImageTool[] = [
  { name: 'sh', required: true },
  { name: 'sleep', required: true },
  { name: 'stress', required: false },
  { name: 'stress-ng', required: false },
  { name: 'cat', required: false },
  { name: 'rm', required: false },
  { name: 'dd', required: false },
  { name: 'date', required: false },
];
const WORKLOAD_TOOLS = ['stress', 'stress-ng'];

export class ImageBuildError extends LabError {
  constructor(message: string) {
    super('host', message);
    this.name = 'ImageBuildError';
  }
}

export interface ResolvedTools {
  /** name -> absolute real path on the host. */
  tools: Map<string, string>;
  missing: string[];
  /** Every shared library (and the ELF interpreter) the tools need, absolute paths as ldd prints them. */
  libs: string[];
  /** "name: libfoo.so.1 => not found" and similar. */
  problems: string[];
}

/** One `ldd` output: library paths, and names it could not find. Static binaries give none. */
export function parseLdd(text: string): { paths: string[]; notFound: string[] } {
  const paths: string[] = [];
  const notFound: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m = /^(\S+) => not found$/.exec(line);
    if (m) {
      notFound.push(m[1]!);
      continue;
    }
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x...)" or "/lib64/ld-linux-x86-64.so.2 (0x...)"
    m = /^(?:\S+ => )?(\/\S+)(?: \(0x[0-9a-f]+\))?$/.exec(line);
    if (m) paths.push(m[1]!);
  }
  return { paths, notFound };
}

/** The output of resolveScript(): "T name realpath" + "| <ldd line>"..., or "X name". */
export function parseResolve(text: string): ResolvedTools {
  const tools = new Map<string, string>();
  const missing: string[] = [];
  const libs = new Set<string>();
  const problems: string[] = [];
  let current: string | null = null;
  let ldd: string[] = [];
  const flush = () => {
    if (current === null) return;
    const r = parseLdd(ldd.join('\n'));
    for (const p of r.paths) libs.add(p);
    for (const n of r.notFound) problems.push(`${current}: ${n} => not found`);
    current = null;
    ldd = [];
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('| ')) {
      ldd.push(line.slice(2));
      continue;
    }
    let m = /^T (\S+) (\/.*)$/.exec(line);
    if (m) {
      flush();
      current = m[1]!;
      tools.set(m[1]!, m[2]!);
      continue;
    }
    m = /^X (\S+)$/.exec(line);
    if (m) {
      flush();
      missing.push(m[1]!);
    }
  }
  flush();
  return { tools, missing, libs: [...libs].sort(), problems };
}

export interface ManifestEntry {
  /** On the host. */
  src: string;
  /** In the image (absolute). */
  dest: string;
}

/** What goes into the rootfs: tools as /usr/bin/<name>, libraries at the path ldd printed. */
export function manifest(r: ResolvedTools): ManifestEntry[] {
  const out = new Map<string, ManifestEntry>();
  for (const [name, src] of [...r.tools].sort(([a], [b]) => a.localeCompare(b))) out.set(`/usr/bin/${name}`, { src, dest: `/usr/bin/${name}` });
  for (const lib of r.libs) if (!out.has(lib)) out.set(lib, { src: lib, dest: lib });
  return [...out.values()].sort((a, b) => a.dest.localeCompare(b.dest));
}

/** `sha256sum` output -> path -> hex. */
export function parseSha256sum(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (m) out.set(m[2]!, m[1]!);
  }
  return out;
}

/** oomlab/stress:<12 hex> from the builder version and every (dest, sha256) pair. */
export function imageTag(entries: readonly ManifestEntry[], sums: ReadonlyMap<string, string>): { tag: string; hash: string } {
  const h = createHash('sha256');
  h.update(`oomlab-image v${BUILDER_VERSION}\n`);
  for (const e of entries) {
    const sum = sums.get(e.src);
    if (!sum) throw new ImageBuildError(`no sha256 for ${e.src}`);
    h.update(`${e.dest} ${sum}\n`);
  }
  const hash = h.digest('hex');
  return { tag: `${IMAGE_REPO}:${hash.slice(0, 12)}`, hash };
}

const TOOL_NAME = /^[a-z0-9][a-z0-9_.-]{0,31}$/;

/** Step 1: where each tool is and what ldd says about it. */
export function resolveScript(tools: readonly string[]): string {
  for (const t of tools) if (!TOOL_NAME.test(t)) throw new ImageBuildError(`odd tool name ${JSON.stringify(t)}`);
  return sh`command -v ldd >/dev/null 2>&1 || { echo "ldd is not installed (it lists the libraries to copy)" >&2; exit 3; }
for t in ${tools}; do
  p=$(command -v "$t" 2>/dev/null) && case $p in /*) ;; *) false ;; esac && r=$(readlink -f "$p") && [ -f "$r" ] || { echo "X $t"; continue; }
  echo "T $t $r"
  ldd "$r" 2>&1 | sed 's/^/| /'
done`;
}

/** Step 4: copy, verify against the hashes (given on stdin as `sha256sum -c` lines), import, clean up. */
export function buildScript(entries: readonly ManifestEntry[], tag: string, hash: string): string {
  const copies = entries.map((e) => sh`c ${e.src} ${e.dest}`).join('\n');
  const libDirs = [...new Set(entries.filter((e) => !e.dest.startsWith('/usr/bin/')).map((e) => e.dest.replace(/\/[^/]*$/, '') || '/'))].sort();
  const changes = [
    // Only image labels: a container started from the image must not look like a lab run.
    `LABEL oomlab.image=${hash}`,
    `LABEL oomlab.builder=${BUILDER_VERSION}`,
    'ENV PATH=/usr/bin:/bin',
    // Libraries found through ld.so.conf on the host have no cache in the image.
    ...(libDirs.length ? [`ENV LD_LIBRARY_PATH=${libDirs.join(':')}`] : []),
  ];
  const importArgs = ['docker', 'import', ...changes.flatMap((c) => ['--change', c]), '-', tag];
  return sh`B=$(mktemp -d ${BUILD_DIR_PREFIX + 'XXXXXX'}) || { echo "cannot create a build directory in /var/tmp" >&2; exit 1; }
trap 'rm -rf "$B"' EXIT
trap 'exit 1' INT TERM HUP
F=$B/rootfs
mkdir -p "$F/usr/bin" "$F/tmp" "$F/proc" "$F/sys" "$F/dev" "$F/etc" && chmod 1777 "$F/tmp" && ln -s usr/bin "$F/bin" || exit 1
c() { mkdir -p "$F\${2%/*}" && cp -L "$1" "$F$2" || { echo "cannot copy $1 into the image" >&2; exit 1; }; }
${new Script(copies)}
( cd "$F" && sha256sum -c --quiet --strict - ) || { echo "a file changed while the image was built; try again" >&2; exit 1; }
tar -C "$F" -c . | ${new Script(command(importArgs))} >/dev/null || { echo "docker import failed" >&2; exit 1; }
echo @built ${tag}`;
}

export interface EnsureImageResult {
  tag: string;
  /** false when the tag was already there. */
  built: boolean;
  /** Tools in the image (by name). */
  tools: string[];
  /** Tools the host lacks (left out). */
  missing: string[];
}

async function run(transport: Transport, facts: HostFacts, what: string, script: string, opts: { stdin?: string; timeoutMs?: number } = {}) {
  const r = await transport.exec(asRoot(script, facts.root), { timeoutMs: opts.timeoutMs ?? 60_000, stdin: opts.stdin });
  if (r.code !== 0) throw new ImageBuildError(`${transport.label}: ${what}: ${r.stderr.trim() || r.error || `exit ${r.code ?? r.signal}`}`);
  return r.stdout;
}

/**
 * Make sure oomlab/stress:<hash of this host's binaries> exists on the host's
 * daemon; build it when it does not. Returns the tag to run.
 */
export async function ensureStressImage(transport: Transport, facts: HostFacts, tools: readonly ImageTool[] = IMAGE_TOOLS): Promise<EnsureImageResult> {
  const resolved = parseResolve(await run(transport, facts, 'looking for the binaries to put into the image', resolveScript(tools.map((t) => t.name))));
  const missingRequired = tools.filter((t) => t.required && !resolved.tools.has(t.name)).map((t) => t.name);
  if (missingRequired.length) throw new ImageBuildError(`${transport.label}: cannot build the workload image: ${missingRequired.join(', ')} not found on the host`);
  if (!WORKLOAD_TOOLS.some((t) => resolved.tools.has(t))) throw new ImageBuildError(`${transport.label}: cannot build the workload image: neither stress nor stress-ng is installed (apt-get install stress)`);
  if (resolved.problems.length) throw new ImageBuildError(`${transport.label}: cannot build the workload image: ${resolved.problems.join('; ')}`);
  const entries = manifest(resolved);
  const sums = parseSha256sum(await run(transport, facts, 'hashing the image contents', command(['sha256sum', '--', ...new Set(entries.map((e) => e.src))])));
  const { tag, hash } = imageTag(entries, sums);
  const result = { tag, tools: [...resolved.tools.keys()].sort(), missing: resolved.missing };
  const present = await transport.exec(asRoot(command(['docker', 'image', 'inspect', '--format', '{{.Id}}', tag]), facts.root), { timeoutMs: 30_000 });
  if (present.code === 0) return { ...result, built: false };
  const check = entries.map((e) => `${sums.get(e.src)}  .${e.dest}\n`).join('');
  const out = await run(transport, facts, `building ${tag}`, buildScript(entries, tag, hash), { stdin: check, timeoutMs: 300_000 });
  if (!out.includes(`@built ${tag}`)) throw new ImageBuildError(`${transport.label}: building ${tag}: the build script did not finish`);
  return { ...result, built: true };
}
