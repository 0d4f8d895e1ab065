// Min/max decimation: at most two points per bucket, keeping each bucket's
// extremes in time order, so a 100 Hz run draws ~2 points per pixel column yet
// the peak before an OOM kill and the drop after it stay exactly visible.
// The recording keeps every sample; only what is drawn is thinned.

export interface XY {
  x: number;
  y: number;
}

export function decimateMinMax<T>(
  items: readonly T[],
  length: number,
  x: (p: T) => number,
  y: (p: T) => number | null,
  buckets: number,
): XY[] {
  const out: XY[] = [];
  if (length <= buckets * 2) {
    for (let i = 0; i < length; i++) {
      const v = y(items[i]!);
      if (v !== null) out.push({ x: x(items[i]!), y: v });
    }
    return out;
  }
  const per = length / buckets;
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor(b * per);
    const to = Math.min(length, Math.floor((b + 1) * per));
    let lo = -1;
    let hi = -1;
    let loV = Infinity;
    let hiV = -Infinity;
    for (let i = from; i < to; i++) {
      const v = y(items[i]!);
      if (v === null) continue;
      if (v < loV) {
        loV = v;
        lo = i;
      }
      if (v > hiV) {
        hiV = v;
        hi = i;
      }
    }
    if (lo < 0) continue;
    const [a, c] = lo <= hi ? [lo, hi] : [hi, lo];
    out.push({ x: x(items[a]!), y: y(items[a]!)! });
    if (c !== a) out.push({ x: x(items[c]!), y: y(items[c]!)! });
  }
  return out;
}
