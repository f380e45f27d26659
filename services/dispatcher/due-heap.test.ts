import { describe, expect, it } from 'vitest';
import { createDueHeap } from './due-heap.js';

describe('due heap', () => {
  it('hands out due entries earliest first, and only due ones', () => {
    const heap = createDueHeap<string>();
    const times = Array.from({ length: 500 }, (_, n) => (n * 7919) % 1000);
    times.forEach((t, n) => {
      heap.set(`k${n}`, t, `v${n}`);
    });
    expect(heap.nextDueAtMs()).toBe(0);
    const due = heap.takeDue(499);
    expect(due.map((e) => e.dueAtMs)).toEqual([...due.map((e) => e.dueAtMs)].sort((a, b) => a - b));
    expect(due.every((e) => e.dueAtMs <= 499)).toBe(true);
    expect(heap.size).toBe(times.filter((t) => t > 499).length);
    expect(heap.takeDue(10_000, 3)).toHaveLength(3);
  });

  it('replaces a key with its newer version and deletes by key', () => {
    const heap = createDueHeap<number>();
    heap.set('a', 100, 1);
    heap.set('b', 50, 2);
    heap.set('a', 10, 3);
    expect(heap.size).toBe(2);
    expect(heap.get('a')).toBe(3);
    expect(heap.takeDue(20)).toEqual([{ key: 'a', dueAtMs: 10, value: 3 }]);
    expect(heap.delete('b')).toBe(true);
    expect(heap.delete('b')).toBe(false);
    expect(heap.size).toBe(0);
    expect(heap.nextDueAtMs()).toBeUndefined();
  });
});
