/**
 * Events received per second over the last `windowSeconds`, for the live page's chart: x in unix
 * seconds (what uPlot's time axis takes), y the count of that second.
 */
export class RateSeries {
  private readonly counts = new Map<number, number>();

  constructor(private readonly windowSeconds = 120) {}

  record(count: number, nowMs = Date.now()): void {
    const second = Math.floor(nowMs / 1000);
    this.counts.set(second, (this.counts.get(second) ?? 0) + count);
    for (const key of this.counts.keys()) if (key <= second - this.windowSeconds) this.counts.delete(key);
  }

  /** The window ending at the current second, one point per second (zeros included). */
  series(nowMs = Date.now()): [number[], number[]] {
    const last = Math.floor(nowMs / 1000);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let second = last - this.windowSeconds + 1; second <= last; second++) {
      xs.push(second);
      ys.push(this.counts.get(second) ?? 0);
    }
    return [xs, ys];
  }

  /** Mean events per second over the last `seconds` complete seconds. */
  mean(seconds = 10, nowMs = Date.now()): number {
    const last = Math.floor(nowMs / 1000) - 1;
    let sum = 0;
    for (let second = last - seconds + 1; second <= last; second++) sum += this.counts.get(second) ?? 0;
    return sum / seconds;
  }
}
