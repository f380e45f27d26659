import { describe, expect, it } from 'vitest';
import { stackSeries } from './stack.js';

describe('stackSeries', () => {
  it('stacks the groups, the largest at the bottom', () => {
    const stacked = stackSeries({
      interval: '1m',
      measure: 'count',
      buckets: ['2026-02-21T03:00:00Z', '2026-02-21T03:01:00Z'],
      series: [
        { group: 'agent', values: [1, 0], total: 1 },
        { group: 'session', values: [5, 7], total: 12 },
      ],
      total: 13,
    });
    expect(stacked).toEqual({
      xs: [Date.parse('2026-02-21T03:00:00Z') / 1000, Date.parse('2026-02-21T03:01:00Z') / 1000],
      groups: ['session', 'agent'],
      raw: [
        [5, 7],
        [1, 0],
      ],
      tops: [
        [5, 7],
        [6, 7],
      ],
    });
  });
});
