import { describe, expect, it } from 'vitest';
import { formatCount, formatDuration, formatPercent, formatRelative, formatTime } from './format.js';
import { replayProgress } from './progress.js';
import { fromLocalInput, rangeQuery, toLocalInput } from './time-range.js';

describe('formatting', () => {
  it('writes durations, relative times, times and counts', () => {
    expect(formatDuration(340)).toBe('340 ms');
    expect(formatDuration(1234)).toBe('1.2 s');
    expect(formatDuration(42_000)).toBe('42 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
    expect(formatDuration(3 * 3_600_000 + 120_000)).toBe('3 h 2 min');
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000)).toBe('2 d 4 h');
    expect(formatRelative('2026-01-01T00:00:05Z', Date.parse('2026-01-01T00:00:10Z'))).toBe('5 s ago');
    expect(formatRelative('2026-01-01T00:00:40Z', Date.parse('2026-01-01T00:00:10Z'))).toBe('in 30 s');
    expect(formatTime('2026-02-21T03:27:00.123Z')).toBe('2026-02-21 03:27:00.123 UTC');
    expect(formatCount(12345)).toBe('12,345');
    expect(formatPercent(0.975)).toBe('97.5 %');
    expect(formatPercent(null)).toBe('–');
  });
});

describe('replay progress', () => {
  const base = { status: 'running', delivered: 40, failed: 10, total: 200, estimated_seconds_remaining: null };
  it('measures done, percent, rate between samples and the time left', () => {
    const progress = replayProgress(
      { ...base, started_at: '2026-01-01T00:00:00Z', finished_at: null },
      { done: 30, atMs: Date.parse('2026-01-01T00:00:08Z') },
      Date.parse('2026-01-01T00:00:10Z'),
    );
    expect(progress).toEqual({ done: 50, percent: 25, ratePerSecond: 10, etaSeconds: 15 });
  });
  it('is at 100 % once completed, with the run mean as its rate; unknown totals have no percent', () => {
    expect(
      replayProgress({
        ...base,
        status: 'completed',
        delivered: 200,
        failed: 0,
        started_at: '2026-01-01T00:00:00Z',
        finished_at: '2026-01-01T00:00:04Z',
      }),
    ).toEqual({ done: 200, percent: 100, ratePerSecond: 50, etaSeconds: null });
    expect(replayProgress({ ...base, total: null, started_at: null, finished_at: null }).percent).toBeNull();
  });
});

describe('time ranges', () => {
  it('turns presets and custom bounds into since/until', () => {
    const now = Date.parse('2026-02-21T12:00:00Z');
    expect(rangeQuery('1h', {}, now)).toEqual({ since: '2026-02-21T11:00:00.000Z' });
    expect(rangeQuery('all', { since: 'x' }, now)).toEqual({});
    expect(rangeQuery('custom', { since: 'yesterday' }, now)).toEqual({ since: 'yesterday' });
    const local = toLocalInput('2026-02-21T03:27:09Z');
    expect(fromLocalInput(local)).toBe('2026-02-21T03:27:09.000Z');
  });
});
