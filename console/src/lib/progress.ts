/** The replay fields progress is computed from (`GET /events/replay/{id}`). */
export interface ReplayCounts {
  status: string;
  delivered: number;
  failed: number;
  total: number | null;
  started_at: string | null;
  finished_at: string | null;
  estimated_seconds_remaining: number | null;
}

export interface ReplayProgress {
  /** Delivered plus failed. */
  done: number;
  /** 0–100, null while the total is not counted yet. */
  percent: number | null;
  /** Events per second: between the last two samples while running, else the mean of the run. */
  ratePerSecond: number | null;
  /** Seconds left: the API's estimate, else from the rate; null when unknown or finished. */
  etaSeconds: number | null;
}

/** A replay's progress; `previous` is the sample before (its done count and when it was taken). */
export function replayProgress(
  replay: ReplayCounts,
  previous?: { done: number; atMs: number },
  nowMs = Date.now(),
): ReplayProgress {
  const done = replay.delivered + replay.failed;
  const finished = ['completed', 'failed', 'cancelled'].includes(replay.status);
  const percent =
    replay.status === 'completed'
      ? 100
      : replay.total === null
        ? null
        : replay.total === 0
          ? 0
          : Math.min(100, (done / replay.total) * 100);
  let ratePerSecond: number | null = null;
  if (!finished && previous && nowMs > previous.atMs && done >= previous.done)
    ratePerSecond = ((done - previous.done) * 1000) / (nowMs - previous.atMs);
  else if (replay.started_at) {
    const end = replay.finished_at ? Date.parse(replay.finished_at) : nowMs;
    const elapsed = end - Date.parse(replay.started_at);
    if (elapsed > 0) ratePerSecond = (done * 1000) / elapsed;
  }
  let etaSeconds: number | null = null;
  if (!finished) {
    if (replay.estimated_seconds_remaining !== null) etaSeconds = replay.estimated_seconds_remaining;
    else if (replay.total !== null && ratePerSecond) etaSeconds = Math.ceil((replay.total - done) / ratePerSecond);
  }
  return { done, percent, ratePerSecond, etaSeconds };
}
