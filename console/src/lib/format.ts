// Display helpers: durations, relative times, counts. Pure, so the pages and tests share them.

/** `340 ms`, `1.2 s`, `2 min 5 s`, `3 h 2 min`, `2 d 4 h`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '–';
  const abs = Math.abs(ms);
  if (abs < 1000) return `${Math.round(ms)} ms`;
  if (abs < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (abs < 60_000) return `${Math.round(ms / 1000)} s`;
  const seconds = Math.round(abs / 1000);
  const [d, h, m, s] = [
    Math.floor(seconds / 86_400),
    Math.floor(seconds / 3600) % 24,
    Math.floor(seconds / 60) % 60,
    seconds % 60,
  ];
  const text = d ? `${d} d ${h} h` : h ? `${h} h ${m} min` : `${m} min${s ? ` ${s} s` : ''}`;
  return ms < 0 ? `-${text}` : text;
}

/** `5 s ago`, `in 30 s`, `just now`. */
export function formatRelative(iso: string | null | undefined, nowMs = Date.now()): string {
  if (!iso) return '–';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const delta = at - nowMs;
  if (Math.abs(delta) < 1000) return 'just now';
  const text = formatDuration(Math.abs(delta)).replace(/\.\d s$/, ' s');
  return delta < 0 ? `${text} ago` : `in ${text}`;
}

/** `2026-02-21 03:27:00.123 UTC` (always UTC, so that two people read the same time). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${at.toISOString().replace('T', ' ').replace('Z', '')} UTC`;
}

/** `12,345`. */
export const formatCount = (value: number | null | undefined): string =>
  value === null || value === undefined ? '–' : value.toLocaleString('en-US');

/** `97.5 %`; null as `–`. */
export const formatPercent = (ratio: number | null | undefined, digits = 1): string =>
  ratio === null || ratio === undefined ? '–' : `${(ratio * 100).toFixed(digits)} %`;
