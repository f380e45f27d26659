import { describe, expect, it } from 'vitest';
import { LiveBuffer } from './live-buffer.js';

type Item = { id: string; created_at: string };
const at = (id: string, second = 0): Item => ({ id, created_at: `2026-02-21T03:00:0${second}.000Z` });
const ids = (buffer: LiveBuffer<Item>) => buffer.list.map((item) => item.event.id);

describe('LiveBuffer', () => {
  it('keeps the newest first, drops repeats and holds at most its capacity', () => {
    const buffer = new LiveBuffer<Item>(3);
    expect(buffer.add([at('a'), at('b')])).toBe(2);
    expect(ids(buffer)).toEqual(['b', 'a']);
    expect(buffer.add([at('b'), at('c'), at('d')])).toBe(2);
    expect(ids(buffer)).toEqual(['d', 'c', 'b']);
    expect(buffer.add([at('a')])).toBe(0);
    buffer.clear();
    expect(buffer.add([at('a')])).toBe(1);
  });

  it('places events that arrive late (a gap filled from history) by their time', () => {
    const buffer = new LiveBuffer<Item>(10);
    buffer.add([at('new', 5)]);
    buffer.add([at('old', 1), at('mid', 3)]);
    expect(ids(buffer)).toEqual(['new', 'mid', 'old']);
  });
});
