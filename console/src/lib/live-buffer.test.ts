import { describe, expect, it } from 'vitest';
import { LiveBuffer } from './live-buffer.js';

const ids = (buffer: LiveBuffer<{ id: string }>) => buffer.list.map((item) => item.event.id);

describe('LiveBuffer', () => {
  it('keeps the newest first, drops repeats and holds at most its capacity', () => {
    const buffer = new LiveBuffer<{ id: string }>(3);
    expect(buffer.add([{ id: 'a' }, { id: 'b' }])).toBe(2);
    expect(ids(buffer)).toEqual(['b', 'a']);
    expect(buffer.add([{ id: 'b' }, { id: 'c' }, { id: 'd' }])).toBe(2);
    expect(ids(buffer)).toEqual(['d', 'c', 'b']);
    expect(buffer.add([{ id: 'a' }])).toBe(0);
    buffer.clear();
    expect(buffer.add([{ id: 'a' }])).toBe(1);
  });
});
