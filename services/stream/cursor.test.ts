import { describe, expect, it } from 'vitest';
import { categoryMask, decodeCursor, dominates, encodeCursor, maxPositions, type StreamPositions } from './cursor.js';

describe('stream cursor', () => {
  it('round-trips positions, including offsets beyond 32 bits', () => {
    const positions: StreamPositions = new Map([
      ['session', [0, 1, 127, 128, 16_384, 2 ** 40 + 3]],
      ['agent', [5, 6]],
    ]);
    const text = encodeCursor(positions);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text)).toEqual(positions);
  });

  it('keeps only the categories of the mask, and is compact', () => {
    const positions: StreamPositions = new Map([
      ['session', [10, 20, 30, 40, 50, 60]],
      ['agent', [1, 2, 3, 4, 5, 6]],
    ]);
    const text = encodeCursor(positions, categoryMask(['session']));
    expect(decodeCursor(text)).toEqual(new Map([['session', [10, 20, 30, 40, 50, 60]]]));
    // version, mask, count, six one-byte offsets: 9 bytes → 12 base64url characters.
    expect(text.length).toBe(12);
  });

  it('refuses text it did not write', () => {
    const good = encodeCursor(new Map([['team', [1, 2]]]));
    for (const bad of [
      '',
      'not a cursor!',
      'AA',
      `${good}A`,
      good.slice(0, -1),
      Buffer.from([2, 1, 1, 0]).toString('base64url'),
      Buffer.from([1, 0x80]).toString('base64url'),
      'x'.repeat(70_000),
    ]) {
      expect(decodeCursor(bad)).toBeUndefined();
    }
    // A truncated varint.
    expect(decodeCursor(Buffer.from([1, 1 << 2, 1, 0xff]).toString('base64url'))).toBeUndefined();
  });

  it('merges and compares positions element-wise', () => {
    const a: StreamPositions = new Map([['session', [5, 1]]]);
    const b: StreamPositions = new Map([
      ['session', [3, 4, 7]],
      ['user', [2]],
    ]);
    expect(maxPositions(a, b)).toEqual(
      new Map([
        ['session', [5, 4, 7]],
        ['user', [2]],
      ]),
    );
    expect(dominates(maxPositions(a, b), a)).toBe(true);
    expect(dominates(a, b)).toBe(false);
    expect(a.get('session')).toEqual([5, 1]);
  });
});
