import { describe, expect, it } from 'vitest';
import { isValidEventId, newEventId } from './ids.js';

describe('newEventId', () => {
  it('makes valid, unique ids that sort by creation, within one millisecond too', () => {
    const ids = Array.from({ length: 20_000 }, (_, n) => newEventId(1_780_000_000_000 + Math.floor(n / 100)));
    expect(ids.every((id) => /^evt_[0-9A-HJKMNP-TV-Z]{26}$/.test(id) && isValidEventId(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('draws fresh randomness for each new millisecond', () => {
    // The 16 characters after the time part are random: over 200 milliseconds, every position varies.
    const randomParts = Array.from({ length: 200 }, (_, n) => newEventId(1_790_000_000_000 + n * 1000).slice(14));
    for (let position = 0; position < 16; position += 1) {
      expect(new Set(randomParts.map((part) => part[position])).size).toBeGreaterThan(8);
    }
  });
});
