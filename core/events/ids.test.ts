import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { isValidEventId, newEventId, newUlid } from './ids.js';

describe('newUlid', () => {
  it('writes 26 Crockford base32 characters whose time part decodes to the given time', () => {
    const at = Date.UTC(2026, 1, 21, 3, 27, 0, 123);
    const id = newUlid(at + 10_000_000);
    expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(decodeTime(id)).toBe(at + 10_000_000);
  });

  it('sorts in creation order within one millisecond, across milliseconds and when the clock steps back', () => {
    const base = Date.now() + 60_000;
    const ids = [
      ...Array.from({ length: 1000 }, () => newUlid(base)),
      ...Array.from({ length: 10 }, () => newUlid(base - 5000)),
      ...Array.from({ length: 1000 }, (_, i) => newUlid(base + 1 + Math.floor(i / 10))),
    ];
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws different randomness for different milliseconds', () => {
    const base = Date.now() + 120_000;
    const randoms = new Set(Array.from({ length: 5000 }, (_, i) => newUlid(base + i).slice(10)));
    expect(randoms.size).toBe(5000);
  });
});

describe('event ids', () => {
  it('are evt_ and a ULID, and valid as producer-supplied ids', () => {
    const id = newEventId();
    expect(id).toMatch(/^evt_[0-9A-Z]{26}$/);
    expect(isValidEventId(id)).toBe(true);
    expect(isValidEventId('evt_')).toBe(false);
    expect(isValidEventId('evt_has space')).toBe(false);
  });
});
