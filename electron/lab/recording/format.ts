// The recording file format: NDJSON (new files gzip-compressed), first line a
// header, then one LabEvent per line. Version 2 adds the compact sample line
// (compact.ts); version 1 files read as before. Pure (no Node imports) so the
// renderer can parse recordings too.

import type { HostFacts } from '../host/facts';
import type { EventOf, Localized } from '../events';

export const RECORDING_FORMAT = 'oomlab-recording';
export const RECORDING_VERSION = 2;
/** The versions this build reads. */
export const READABLE_VERSIONS: readonly number[] = [1, 2];
/** What new recordings are named; the readers take plain `.ndjson` too and look at the bytes, not the name. */
export const RECORDING_EXTENSION = '.ndjson.gz';

/** A gzip stream starts with these two bytes. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: number;
  appVersion: string;
  runId: string;
  scenario: { id: string; title: Localized; file: string | null };
  host: HostFacts;
  target: EventOf<'run-start'>['target'];
  /** Wall-clock ISO time at t = 0 (the host's clock). */
  startedAt: string;
}

/** The header a run's `run-start` event implies: the two always agree. */
export function headerFromRunStart(ev: EventOf<'run-start'>): RecordingHeader {
  return {
    format: RECORDING_FORMAT,
    version: RECORDING_VERSION,
    appVersion: ev.appVersion,
    runId: ev.runId,
    scenario: ev.scenario,
    host: ev.host,
    target: ev.target,
    startedAt: ev.startedAt,
  };
}
