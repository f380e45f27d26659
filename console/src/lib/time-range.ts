/** The explorer's time ranges: a preset window ending now, or a custom since/until. */
export const RANGE_PRESETS = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: 'all', label: 'All history', ms: null },
  { value: 'custom', label: 'Custom range', ms: null },
] as const;

export type RangePreset = (typeof RANGE_PRESETS)[number]['value'];

/**
 * `since`/`until` to send to the API for a range. A custom bound is the `datetime-local` input's
 * value read as local time (`2026-02-21T03:27`); what does not parse goes as typed, for the API to
 * explain next to the field.
 */
export function rangeQuery(
  preset: string,
  custom: { since?: string; until?: string },
  nowMs = Date.now(),
): { since?: string; until?: string } {
  const known = RANGE_PRESETS.find((entry) => entry.value === preset);
  if (known?.ms) return { since: new Date(nowMs - known.ms).toISOString() };
  if (preset !== 'custom') return {};
  const out: { since?: string; until?: string } = {};
  if (custom.since) out.since = fromLocalInput(custom.since);
  if (custom.until) out.until = fromLocalInput(custom.until);
  return out;
}

/** A `datetime-local` value (local time) as RFC 3339 UTC; anything else as given. */
export function fromLocalInput(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(value)) return value;
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? value : at.toISOString();
}

/** An RFC 3339 time as a `datetime-local` value (local time, seconds). */
export function toLocalInput(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`;
}
