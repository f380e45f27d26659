import { describe, expect, it } from 'vitest';
import { RateSeries } from './rate.js';

describe('RateSeries', () => {
  it('counts per second over the window, zeros included, and forgets older seconds', () => {
    const rate = new RateSeries(3);
    rate.record(2, 10_000);
    rate.record(1, 10_900);
    rate.record(4, 12_100);
    expect(rate.series(12_500)).toEqual([
      [10, 11, 12],
      [3, 0, 4],
    ]);
    rate.record(1, 13_000);
    expect(rate.series(13_000)).toEqual([
      [11, 12, 13],
      [0, 4, 1],
    ]);
    expect(rate.mean(2, 13_000)).toBe(2);
  });
});
