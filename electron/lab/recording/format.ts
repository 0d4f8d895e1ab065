// The recording file format: NDJSON, first line a header, then one LabEvent
// per line. Pure (no Node imports) so the renderer can parse recordings too.

import type { HostFacts } from '../host/facts';
import type { EventOf, Localized } from '../events';

export const RECORDING_FORMAT = 'oomlab-recording';
export const RECORDING_VERSION = 1;
/** Conventional file extension; the reader does not insist on it. */
export const RECORDING_EXTENSION = '.ndjson';

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
