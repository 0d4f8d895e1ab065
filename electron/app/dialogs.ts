// Native open/save dialogs for recordings and exports.

import type { BrowserWindow, Dialog } from 'electron';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Dialogs, SaveKind } from './lab-service';

const filters: Record<SaveKind, Electron.FileFilter[]> = {
  recording: [{ name: 'OOM Lab recording', extensions: ['ndjson.gz', 'gz', 'ndjson'] }],
  png: [{ name: 'PNG image', extensions: ['png'] }],
  csv: [{ name: 'CSV', extensions: ['csv'] }],
  html: [{ name: 'HTML report', extensions: ['html'] }],
};

export function setupDialogs(dialog: Pick<Dialog, 'showOpenDialog' | 'showSaveDialog'>, window: () => BrowserWindow | null, documentsDir: string): Dialogs {
  return {
    async openRecording() {
      const win = window();
      const opts: Electron.OpenDialogOptions = {
        title: 'Open an OOM Lab recording',
        properties: ['openFile'],
        filters: [...filters.recording, { name: 'All files', extensions: ['*'] }],
      };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async openIdentityFile() {
      const win = window();
      // Keys live in ~/.ssh, a hidden folder.
      const opts: Electron.OpenDialogOptions = { title: 'Choose an SSH identity file', defaultPath: join(homedir(), '.ssh'), properties: ['openFile', 'showHiddenFiles'] };
      const r = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async saveFile(kind, suggestedName) {
      const win = window();
      const opts: Electron.SaveDialogOptions = { defaultPath: join(documentsDir, suggestedName), filters: filters[kind] };
      const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
      return r.canceled || !r.filePath ? null : r.filePath;
    },
  };
}
