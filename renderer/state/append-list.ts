// An append-only list shared between successive states. A state sees only its
// first `length` items, so appending to the newest state never changes what an
// older state shows: the reducer stays pure to every observer while a 100 Hz
// run costs O(1) per sample instead of copying the whole history each time.

export interface AppendList<T> {
  readonly items: readonly T[];
  readonly length: number;
}

export function emptyList<T>(): AppendList<T> {
  return { items: [], length: 0 };
}

export function append<T>(list: AppendList<T>, item: T): AppendList<T> {
  const items = list.items as T[];
  // Only the state at the tip may extend the shared array; an older state
  // (e.g. after scrubbing back) gets its own copy first.
  const owned = items.length === list.length ? items : items.slice(0, list.length);
  owned.push(item);
  return { items: owned, length: owned.length };
}

export function at<T>(list: AppendList<T>, i: number): T | undefined {
  return i >= 0 && i < list.length ? list.items[i] : undefined;
}

export function last<T>(list: AppendList<T>): T | undefined {
  return at(list, list.length - 1);
}

export function toArray<T>(list: AppendList<T>): T[] {
  return list.items.slice(0, list.length);
}

/** The last `n` items (for panes that show a tail). */
export function tail<T>(list: AppendList<T>, n: number): T[] {
  return list.items.slice(Math.max(0, list.length - n), list.length);
}
