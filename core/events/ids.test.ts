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

describe('isValidEventId', () => {
  it('accepts evt_ and 1 to 100 letters, digits, _ or -: the guide, ULIDs and UUIDs', () => {
    for (const id of [
      'evt_abc123',
      'evt_a',
      `evt_${'x'.repeat(100)}`,
      'evt_01JMG3W6Q8Z3K6N1V9S2T4X7YB',
      'evt_0f8fad5b-d9cb-469f-a165-70867728950e',
      'evt_order_42',
    ])
      expect(isValidEventId(id), id).toBe(true);
  });

  it('refuses anything else, so an id is safe in a URL path, a header and a log line', () => {
    for (const id of [
      'evt_',
      'event-1',
      'EVT_abc',
      `evt_${'x'.repeat(101)}`,
      'evt_a b',
      'evt_a/b',
      'evt_a%2F',
      'evt_a\nb',
      'evt_é',
      'evt_a.b',
      42,
      null,
    ])
      expect(isValidEventId(id), String(id)).toBe(false);
  });
});
