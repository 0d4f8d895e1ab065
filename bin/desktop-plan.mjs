// What `npm start` does before it builds anything: find Electron's binary (or
// say how to get one) and decide the flags the user's identity needs. Pure, so
// test/unit/bin/desktop-plan.test.ts covers every branch without a binary.

/** Where the download failed, the ways to get a binary, in the words Electron's own tools use. */
export function missingBinaryMessage(version, reason) {
  return [
    `oomlab: Electron ${version}'s binary is not installed and could not be downloaded${reason ? ` (${reason})` : ''}.`,
    'Any one of these gets the desktop app running:',
    `  - a mirror you can reach: ELECTRON_MIRROR=https://<mirror>/electron/ npx install-electron`,
    `  - a cache holding electron-v${version}-linux-x64.zip: electron_config_cache=<dir> npx install-electron`,
    '  - an Electron you already have: ELECTRON_OVERRIDE_DIST_PATH=<dir with the electron binary> npm start',
    'The command line needs no Electron: npx oomlab --help',
  ].join('\n');
}

/** The first error line of a failed download (install.js prints a stack): "fetch failed", "getaddrinfo ENOTFOUND ...". */
export function downloadReason(output) {
  const line = output.split('\n').map((l) => l.trim()).find((l) => /^(?:[A-Za-z]*Error|HTTPError)\b|ENOTFOUND|ECONNREFUSED|ETIMEDOUT/.test(l));
  if (!line) return 'the download failed';
  return line.replace(/^[A-Za-z]*Error:\s*/, '');
}

/**
 * @param {{uid: number | null, argv: string[]}} who
 * @returns {{args: string[], notes: string[]}} extra Electron arguments and one line each saying why
 */
export function sandboxPlan(who) {
  const args = [...who.argv];
  const notes = [];
  if (who.uid === 0 && !args.includes('--no-sandbox')) {
    // Chromium's sandbox refuses to start as root; without the flag Electron aborts.
    args.push('--no-sandbox');
    notes.push('oomlab: running as root: Chromium\'s sandbox cannot run as root, so the app starts with --no-sandbox (run it as a normal user to keep the sandbox).');
  }
  return { args, notes };
}
