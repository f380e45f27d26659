import { describe, expect, it } from 'vitest';
import { integerBounds } from './numbers.js';

describe('integerBounds', () => {
  it('gives the whole numbers around a literal, exactly', () => {
    expect(integerBounds('3')).toEqual({ floor: 3, ceil: 3, exact: true });
    expect(integerBounds('2.5')).toEqual({ floor: 2, ceil: 3, exact: false });
    expect(integerBounds('-2.5')).toEqual({ floor: -3, ceil: -2, exact: false });
    expect(integerBounds('-0.5')).toEqual({ floor: -1, ceil: 0, exact: false });
    expect(integerBounds('-0')).toEqual({ floor: 0, ceil: 0, exact: true });
    expect(integerBounds('25e-1')).toEqual({ floor: 2, ceil: 3, exact: false });
    expect(integerBounds('1.5e3')).toEqual({ floor: 1500, ceil: 1500, exact: true });
    expect(integerBounds('0.000001')).toEqual({ floor: 0, ceil: 1, exact: false });
    expect(integerBounds('1e-999999999')).toEqual({ floor: 0, ceil: 1, exact: false });
  });

  it('is exact where doubles are not (beyond 2^53)', () => {
    expect(integerBounds('9007199254740991')).toEqual({ floor: 9007199254740991, ceil: 9007199254740991, exact: true });
    // As a double, 9007199254740990.5 would round to an integer; the bounds stay exact.
    expect(integerBounds('9007199254740989.5')).toEqual({
      floor: 9007199254740989,
      ceil: 9007199254740990,
      exact: false,
    });
    expect(integerBounds('9007199254740992').exact).toBe(false);
  });

  it('clamps to ±2^53 far outside the range whole-number fields hold', () => {
    expect(integerBounds('9007199254740993')).toEqual({ floor: 2 ** 53, ceil: 2 ** 53, exact: false });
    expect(integerBounds('1e30')).toEqual({ floor: 2 ** 53, ceil: 2 ** 53, exact: false });
    expect(integerBounds('-1e999999999')).toEqual({ floor: -(2 ** 53), ceil: -(2 ** 53), exact: false });
  });
});
