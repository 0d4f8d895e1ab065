// The text of a recording file dropped on the window: plain NDJSON, or gzip
// decoded with the browser's DecompressionStream. A .gz cut off by a killed
// run makes the stream fail at its end; what was decoded before (up to the
// writer's last sync flush) is kept, as the main process's reader does.

import { isGzip } from '../../electron/lab/recording/format';

export async function recordingFileText(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (!isGzip(bytes)) return new TextDecoder().decode(bytes);
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await reader.read();
    } catch {
      break; // truncated: keep what was decoded
    }
    if (chunk.done) break;
    text += decoder.decode(chunk.value, { stream: true });
  }
  return text + decoder.decode();
}
