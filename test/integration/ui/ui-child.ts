// `oomlab ui` as a child process (bin/oomlab.js, what `npx oomlab ui` runs):
// waits for the address it prints, and builds the renderer it serves first.

import { buildOnce } from '../../e2e/helpers/app';
import { spawnCli, type CliChild } from '../cli/oomlab-child';

export interface UiChild extends CliChild {
  url: string;
  port: number;
}

/** Resolves when stdout holds a match (output, not time, is what we wait on). */
export function waitForOutput(c: CliChild, re: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const m = c.stdout().match(re);
      if (m) {
        c.child.stdout!.off('data', check);
        resolve(m);
      }
    };
    c.child.stdout!.on('data', check);
    void c.done.then((r) => reject(new Error(`oomlab ui ended (${r.code ?? r.signal}) before printing ${re}:\n${r.stdout}\n${r.stderr}`)));
    check();
  });
}

export async function startUiCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<UiChild> {
  await buildOnce();
  const c = spawnCli(['ui', ...args], env);
  const [url, port] = await waitForOutput(c, /http:\/\/127\.0\.0\.1:(\d+)\/\?token=[A-Za-z0-9_-]+/);
  return { ...c, url: url, port: Number(port) };
}
