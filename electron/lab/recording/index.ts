// Recording format, reader and writer. Renderer code should import from
// './format' and './parse' only (no Node APIs there).
export * from './format';
export * from './parse';
export { readRecording } from './read';
export { RecordingWriter, type RecordingWriterOptions } from './writer';
