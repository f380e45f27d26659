import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from './cursor.js';

const position = { t: 1_771_644_420_123, i: 'evt_01JMG3W6Q8Z3K6N1V9S2T4X7YB', a: 1_771_644_500, q: 'abc' };

describe('cursors', () => {
  it('round-trip', () => {
    expect(decodeCursor(encodeCursor(position, 'secret'), 'secret')).toEqual(position);
  });

  it('refuse a cursor signed with another secret, tampered, truncated or garbage', () => {
    const cursor = encodeCursor(position, 'secret');
    expect(decodeCursor(cursor, 'other')).toBeUndefined();
    const tampered = Buffer.from(cursor, 'base64url');
    tampered[tampered.length - 3] = tampered[tampered.length - 3]! ^ 1;
    expect(decodeCursor(tampered.toString('base64url'), 'secret')).toBeUndefined();
    expect(decodeCursor(cursor.slice(0, 10), 'secret')).toBeUndefined();
    expect(decodeCursor("'; DROP TABLE events", 'secret')).toBeUndefined();
    expect(decodeCursor('', 'secret')).toBeUndefined();
  });
});
