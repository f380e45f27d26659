/** The answer of `GET /events/stats` (the contract's statistics route), grouped by category. */
export interface StatsAnswer {
  interval: string;
  measure: string;
  /** Each bucket's start, RFC 3339. */
  buckets: string[];
  series: { group: string; values: number[]; total: number }[];
  total: number;
}

export interface StackedSeries {
  /** Bucket starts in unix seconds (uPlot's time axis). */
  xs: number[];
  /** Groups from the bottom of the stack to the top. */
  groups: string[];
  /** Each group's values as given. */
  raw: number[][];
  /** Each group's top edge: the sum of it and every group below it. */
  tops: number[][];
}

/** Stacks the series of a statistics answer, largest total at the bottom. */
export function stackSeries(answer: StatsAnswer): StackedSeries {
  const xs = answer.buckets.map((bucket) => Math.floor(Date.parse(bucket) / 1000));
  const series = [...answer.series].sort((a, b) => b.total - a.total);
  const raw = series.map((entry) => xs.map((_, i) => entry.values[i] ?? 0));
  const tops: number[][] = [];
  raw.forEach((values, k) => {
    tops.push(values.map((value, i) => value + (k > 0 ? tops[k - 1]![i]! : 0)));
  });
  return { xs, groups: series.map((entry) => entry.group), raw, tops };
}
