import { stackSeries, type StackedSeries, type StatsAnswer } from '../lib/stack.js';
import { api } from './client.js';
import { apiFeatures } from './features.js';

export interface StatsWindow {
  /** `1m` buckets over the last hour, or `1h` buckets over the last day. */
  interval: '1m' | '1h';
  sinceMs: number;
}

/**
 * Events per bucket stacked by category, for the overview's two charts, from `GET /events/stats`
 * (the statistics API). Undefined while the API has no such route: the charts then say so rather
 * than show made-up data.
 */
export async function loadCategoryStats(window: StatsWindow): Promise<StackedSeries | undefined> {
  if (!(await apiFeatures()).stats) return undefined;
  const answer = await api<StatsAnswer>('GET', '/events/stats', {
    query: { since: new Date(window.sinceMs).toISOString(), interval: window.interval, group_by: 'category' },
  });
  return stackSeries(answer);
}
