// What changes when the app runs in a browser (`oomlab ui`): no native
// dialogs, so opening a recording is an upload of a picked file, and a saved
// file (recording, export) is downloaded from the server that wrote it.
// No secrets are kept there; BrowserNote says so.

import type { IpcResult, OomlabApi, OpenedRecording } from '../../electron/ipc';
import type { Locale } from '../../electron/lab/events';

/** Set (non-enumerable) on the API object by bridge.ts. */
export const BROWSER_FLAG = 'inBrowser';

export function inBrowser(api: OomlabApi): boolean {
  return (api as unknown as Record<string, unknown>)[BROWSER_FLAG] === true;
}

function pickFile(): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = '.ndjson,.gz,application/gzip,application/x-ndjson,application/json,text/plain';
    input.addEventListener('change', () => resolve(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => resolve(null), { once: true });
    input.click();
  });
}

/** The browser's "Open a recording…": pick, upload, then the usual openRecording request. */
export async function openRecordingInBrowser(api: OomlabApi): Promise<IpcResult<OpenedRecording | null>> {
  const file = await pickFile();
  if (!file) return { ok: true, value: null };
  // The server's cap (electron/web/files.ts MAX_UPLOAD_BYTES), said before sending half a gigabyte.
  if (file.size > 512 * 2 ** 20) return { ok: false, error: { code: 'recording-invalid', message: `${file.name} is ${Math.round(file.size / 2 ** 20)} MiB; recordings larger than 512 MiB are not opened.` } };
  const r = await fetch(`/__oomlab/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', headers: { 'Content-Type': 'application/octet-stream' }, body: file }).catch(() => null);
  if (!r?.ok) return { ok: false, error: { code: 'io', message: `Cannot upload ${file.name}: ${r ? (await r.text()).trim() : 'the oomlab ui server does not answer'}.` } };
  return api.openRecording();
}

/** A file the server saved for us: fetched once as a download. */
export function download(path: string): string {
  const a = document.createElement('a');
  a.href = `/__oomlab/download?path=${encodeURIComponent(path)}`;
  a.download = '';
  a.click();
  return path.split('/').pop() ?? path;
}

const TEXT = {
  en: {
    note: 'In the browser (oomlab ui) passwords and passphrases are never kept: you are asked at every connect. Recordings open by upload and are saved as downloads.',
    downloaded: 'Downloaded {name}',
  },
  'zh-CN': {
    note: '在浏览器中（oomlab ui）从不保存密码和口令：每次连接都会询问。录制通过上传打开，保存时以下载方式获得。',
    downloaded: '已下载 {name}',
  },
} as const satisfies Record<Locale, Record<string, string>>;

export function browserText(locale: Locale, key: keyof (typeof TEXT)['en'], name = ''): string {
  return TEXT[locale][key].replace('{name}', name);
}
