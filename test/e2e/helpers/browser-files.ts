// The user's side of the browser's file handling in `oomlab ui`: the file
// chooser the page opens for "Open a recording…" and the downloads it starts
// for every save and export. The test queues files to pick and reads what
// was downloaded, in the order the page saved them.

import type { Page } from 'playwright-core';
import { join } from 'node:path';
import type { SaveKind } from '../../../electron/app/lab-service';

const KINDS: Record<string, SaveKind> = { ndjson: 'recording', png: 'png', csv: 'csv', html: 'html' };

export class TestDialogs {
  /** Files to pick in the next file choosers; null = the user cancels. */
  readonly opens: Array<string | null> = [];
  /** Downloads, complete on disk, in the order the page started them. */
  readonly saved: Array<{ kind: SaveKind; path: string }> = [];
  private chain: Promise<void> = Promise.resolve();
  constructor(readonly saveDir: string) {}

  attach(page: Page): void {
    page.on('filechooser', (chooser) => void chooser.setFiles(this.opens.shift() ?? []));
    page.on('download', (d) => {
      const name = d.suggestedFilename();
      const path = join(this.saveDir, name);
      this.chain = this.chain.then(async () => {
        await d.saveAs(path);
        this.saved.push({ kind: KINDS[name.split('.').pop() ?? ''] ?? 'recording', path });
      });
    });
  }
}
