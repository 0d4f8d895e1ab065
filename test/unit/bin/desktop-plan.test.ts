// bin/desktop-plan.mjs: what `npm start` says when Electron's binary cannot be
// had, and the sandbox flag as root.
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain ESM launcher without types (it runs before any build step)
import { downloadReason, missingBinaryMessage, sandboxPlan } from '../../../bin/desktop-plan.mjs';

describe('missingBinaryMessage', () => {
  it('names every way Electron itself offers to get a binary, and the CLI', () => {
    const m = missingBinaryMessage('45.4.1', 'fetch failed') as string;
    expect(m.split('\n')[0]).toBe("oomlab: Electron 45.4.1's binary is not installed and could not be downloaded (fetch failed).");
    for (const want of ['ELECTRON_MIRROR=', 'electron_config_cache=', 'electron-v45.4.1-linux-x64.zip', 'ELECTRON_OVERRIDE_DIST_PATH=', 'npx oomlab --help']) expect(m).toContain(want);
  });
});

describe('downloadReason', () => {
  it('keeps the first error line of install.js output, without its stack', () => {
    const out = 'Downloading...\nTypeError: fetch failed\n    at node:internal/deps/undici/undici:14976:13\n';
    expect(downloadReason(out)).toBe('fetch failed');
    expect(downloadReason('RequestError: getaddrinfo ENOTFOUND github.com\n  at x')).toBe('getaddrinfo ENOTFOUND github.com');
    expect(downloadReason('')).toBe('the download failed');
  });
});

describe('sandboxPlan', () => {
  it('adds --no-sandbox as root and says why', () => {
    const p = sandboxPlan({ uid: 0, argv: [] }) as { args: string[]; notes: string[] };
    expect(p.args).toEqual(['--no-sandbox']);
    expect(p.notes[0]).toMatch(/sandbox cannot run as root/);
  });
  it('leaves a normal user alone and never doubles the flag', () => {
    expect(sandboxPlan({ uid: 1000, argv: ['--lang=zh-CN'] })).toEqual({ args: ['--lang=zh-CN'], notes: [] });
    expect(sandboxPlan({ uid: 0, argv: ['--no-sandbox'] })).toEqual({ args: ['--no-sandbox'], notes: [] });
  });
});
