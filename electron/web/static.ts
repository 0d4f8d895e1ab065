// The built renderer's files, and nothing outside its folder: the request path
// is decoded once, resolved against the root, and the real path (symlinks
// followed) must still lie inside the root's real path.

import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
};

export interface StaticFile {
  body: Buffer;
  type: string;
}

function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/** The file for a URL path, or null (not found, or not ours to serve). */
export async function staticFile(rootDir: string, pathname: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const root = await realpath(rootDir);
  const wanted = resolve(root, '.' + (decoded === '/' ? '/index.html' : decoded));
  if (!inside(root, wanted)) return null;
  try {
    const real = await realpath(wanted);
    if (!inside(root, real) || !(await stat(real)).isFile()) return null;
    return { body: await readFile(real), type: TYPES[extname(real)] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
