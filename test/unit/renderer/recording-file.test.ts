// The renderer's drop loader takes .ndjson and .ndjson.gz, and a cut-off .gz to its last flush.
import { describe, expect, it } from 'vitest';
import { constants, gzipSync, createGzip } from 'node:zlib';
import { recordingFileText } from '../../../renderer/state/recording-file';

describe('recordingFileText', () => {
  it('reads plain and gzip files', async () => {
    expect(await recordingFileText(new Blob(['{"a":1}\n']))).toBe('{"a":1}\n');
    expect(await recordingFileText(new Blob([gzipSync('{"a":1}\n{"b":2}\n')]))).toBe('{"a":1}\n{"b":2}\n');
  });

  it('reads a gzip stream without its end to the last sync flush', async () => {
    const gz = createGzip();
    const chunks: Buffer[] = [];
    gz.on('data', (c: Buffer) => chunks.push(c));
    gz.write('line one\n');
    await new Promise<void>((r) => gz.flush(constants.Z_SYNC_FLUSH, () => r()));
    gz.write('never flushed\n');
    expect(await recordingFileText(new Blob([Buffer.concat(chunks)]))).toBe('line one\n');
    gz.destroy();
  });
});
