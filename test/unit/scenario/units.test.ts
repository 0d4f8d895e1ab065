import { describe, expect, it } from 'vitest';
import { durationTooLong, formatBytes, MAX_DURATION_MS, parseDuration, parseSize } from '../../../electron/lab/scenario/units';

describe('parseSize', () => {
  it('reads Kubernetes and stress spellings as 1024-based', () => {
    // 123Mi is what the kubelet writes as 128974848 into memory.limit_in_bytes (seeds/001).
    expect(parseSize('123Mi')).toBe(128974848);
    expect(parseSize('100M')).toBe(104857600);
    expect(parseSize('50m')).toBe(52428800);
    expect(parseSize('1G')).toBe(1073741824);
    expect(parseSize('1.5Ki')).toBe(1536);
    expect(parseSize('16MiB')).toBe(16777216);
    expect(parseSize('4096')).toBe(4096);
    expect(parseSize(4096)).toBe(4096);
  });
  it('rejects what is not a size', () => {
    for (const bad of ['', 'lots', '12Qi', '-1M', '1e6', 'M']) expect(parseSize(bad), bad).toBeNull();
    expect(parseSize(-1)).toBeNull();
    expect(parseSize(1.5)).toBeNull();
  });
});

describe('parseDuration', () => {
  it('reads ms, s, m, h', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('20s')).toBe(20_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
  });
  it('wants a unit', () => {
    expect(parseDuration('20')).toBeNull();
    expect(parseDuration('soon')).toBeNull();
  });
});

it('formatBytes', () => {
  expect(formatBytes(128974848)).toBe('123.0 MiB');
  expect(formatBytes(512)).toBe('512 B');
  expect(formatBytes(null)).toBe('unlimited');
});

describe('durationTooLong', () => {
  it('refuses what a timer cannot hold (setTimeout fires at once above 2^31-1 ms)', () => {
    expect(MAX_DURATION_MS).toBe(2147483647);
    expect(durationTooLong(parseDuration('596h')!)).toBeNull();
    expect(durationTooLong(MAX_DURATION_MS)).toBeNull();
    expect(durationTooLong(MAX_DURATION_MS + 1)).toBe("longer than the lab's timers can hold (at most 596 h = 2147483647 ms)");
    expect(durationTooLong(parseDuration('1000h')!)).not.toBeNull();
  });
});
