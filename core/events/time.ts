// RFC 3339 timestamps, as the API speaks them: `2026-02-21T03:27:00.123Z` (UTC, millisecond precision).

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch for a strict RFC 3339 date-time, or undefined. */
export function parseTimestamp(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 60) return undefined;
  const ms = Date.parse(text.replace(' ', 'T'));
  if (!Number.isFinite(ms)) return undefined;
  // Date.parse rolls 2026-02-31 over to March: refuse dates that do not exist.
  const offset = match[8]!.toUpperCase() === 'Z' ? 0 : (match[8]!.startsWith('-') ? -1 : 1) * (Number(match[8]!.slice(1, 3)) * 60 + Number(match[8]!.slice(4, 6)));
  const local = new Date(ms + offset * 60_000);
  if (local.getUTCDate() !== d || local.getUTCMonth() + 1 !== mo) return undefined;
  return Math.floor(ms);
}

/** `2026-02-21T03:27:00.123Z` */
export function formatTimestamp(ms: number): string {
  return new Date(ms).toISOString();
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since the epoch for `YYYY-MM-DD`, or undefined. */
export function parseDate(text: string): number | undefined {
  if (!DATE.test(text)) return undefined;
  const ms = Date.parse(text + 'T00:00:00Z');
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return undefined;
  return ms / DAY_MS;
}

export function formatDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}
