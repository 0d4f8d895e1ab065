// Sizes and durations as scenario authors write them. Pure.
//
// Sizes: K/M/G are binary (1024-based) as in stress, free and the kernel log,
// and Ki/Mi/Gi are the same units spelled as Kubernetes does ("123Mi" =
// 128974848 bytes). A bare number is bytes. No decimal (SI) units: a scenario
// author who writes 100M means what `stress --vm-bytes 100M` means.

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  B: 1,
  K: 1024,
  KI: 1024,
  KIB: 1024,
  KB: 1024,
  M: 1024 ** 2,
  MI: 1024 ** 2,
  MIB: 1024 ** 2,
  MB: 1024 ** 2,
  G: 1024 ** 3,
  GI: 1024 ** 3,
  GIB: 1024 ** 3,
  GB: 1024 ** 3,
};

export const SIZE_PATTERN = '^[0-9]+(\\.[0-9]+)?\\s*([KkMmGg]([Ii]?[Bb]?)?|[Bb])?$';
export const DURATION_PATTERN = '^[0-9]+(\\.[0-9]+)?\\s*(ms|s|m|h)$';

/** Bytes, or null when `text` is not a size. */
export function parseSize(text: string | number): number | null {
  if (typeof text === 'number') return Number.isSafeInteger(text) && text >= 0 ? text : null;
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*([A-Za-z]*)$/.exec(text.trim());
  if (!m) return null;
  const unit = SIZE_UNITS[m[2]!.toUpperCase()];
  if (unit === undefined) return null;
  const bytes = Math.round(Number(m[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : null;
}

/** The longest delay a timer holds (setTimeout: 2^31-1 ms, about 596 h); a longer one fires at once. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** Why a duration is longer than the lab can wait, or null. */
export function durationTooLong(ms: number): string | null {
  return ms > MAX_DURATION_MS ? `longer than the lab's timers can hold (at most 596 h = ${MAX_DURATION_MS} ms)` : null;
}

/** Milliseconds, or null when `text` is not a duration ("500ms", "20s", "2m", "1h"). */
export function parseDuration(text: string): number | null {
  const m = /^([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)$/.exec(text.trim());
  if (!m) return null;
  const mult = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(m[1]) * mult);
}

/** "123.0 MiB" style, for people. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'unlimited';
  const abs = Math.abs(bytes);
  if (abs < 1024) return `${bytes} B`;
  if (abs < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (abs < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${+(ms / 1000).toFixed(1)} s`;
  return `${+(ms / 60_000).toFixed(1)} min`;
}
