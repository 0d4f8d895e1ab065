// Child process for writer.test.ts: records a sample every 5 ms until killed.
import { RecordingWriter } from '../../../electron/lab/recording/writer';
import { header, sample } from './fixtures';

// A .gz path is flushed at the compressed default (1 s); a plain one every 200 ms.
const path = process.argv[2]!;
const w = new RecordingWriter(path, header, path.endsWith('.gz') ? {} : { flushMs: 200 });
let t = 0;
setInterval(() => w.write(sample((t += 5), t)), 5);
