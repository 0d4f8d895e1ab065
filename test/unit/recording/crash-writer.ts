// Child process for writer.test.ts: records a sample every 5 ms until killed.
import { RecordingWriter } from '../../../electron/lab/recording/writer';
import { header, sample } from './fixtures';

const w = new RecordingWriter(process.argv[2]!, header, { flushMs: 200 });
let t = 0;
setInterval(() => w.write(sample((t += 5), t)), 5);
