/**
 * Pending retries by due time: a binary min-heap keyed by delivery key, where a newer version of
 * a key replaces the older one (the compacted topic's semantics) and removal is by key.
 */
export interface DueHeap<T> {
  set(key: string, dueAtMs: number, value: T): void;
  delete(key: string): boolean;
  get(key: string): T | undefined;
  /** Removes and returns the entries due at `nowMs`, earliest first, at most `max`. */
  takeDue(nowMs: number, max?: number): { key: string; dueAtMs: number; value: T }[];
  /** Due time of the earliest entry, or undefined when empty. */
  nextDueAtMs(): number | undefined;
  readonly size: number;
  keys(): IterableIterator<string>;
}

interface Entry<T> {
  key: string;
  dueAtMs: number;
  value: T;
  index: number;
}

export function createDueHeap<T>(): DueHeap<T> {
  const heap: Entry<T>[] = [];
  const byKey = new Map<string, Entry<T>>();

  const less = (a: Entry<T>, b: Entry<T>) => a.dueAtMs < b.dueAtMs || (a.dueAtMs === b.dueAtMs && a.key < b.key);
  function swap(i: number, j: number): void {
    const a = heap[i]!;
    const b = heap[j]!;
    heap[i] = b;
    heap[j] = a;
    a.index = j;
    b.index = i;
  }
  function up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!less(heap[i]!, heap[parent]!)) return;
      swap(i, parent);
      i = parent;
    }
  }
  function down(i: number): void {
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && less(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && less(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      swap(i, smallest);
      i = smallest;
    }
  }
  function removeAt(i: number): Entry<T> {
    const entry = heap[i]!;
    const last = heap.pop()!;
    if (last !== entry) {
      heap[i] = last;
      last.index = i;
      down(i);
      up(last.index);
    }
    byKey.delete(entry.key);
    return entry;
  }

  return {
    set(key, dueAtMs, value) {
      const existing = byKey.get(key);
      if (existing) removeAt(existing.index);
      const entry: Entry<T> = { key, dueAtMs, value, index: heap.length };
      heap.push(entry);
      byKey.set(key, entry);
      up(entry.index);
    },
    delete(key) {
      const existing = byKey.get(key);
      if (!existing) return false;
      removeAt(existing.index);
      return true;
    },
    get: (key) => byKey.get(key)?.value,
    takeDue(nowMs, max = Infinity) {
      const out: { key: string; dueAtMs: number; value: T }[] = [];
      while (heap.length > 0 && heap[0]!.dueAtMs <= nowMs && out.length < max) {
        const { key, dueAtMs, value } = removeAt(0);
        out.push({ key, dueAtMs, value });
      }
      return out;
    },
    nextDueAtMs: () => heap[0]?.dueAtMs,
    get size() {
      return heap.length;
    },
    keys: () => byKey.keys(),
  };
}
