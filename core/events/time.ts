// RFC 3339 timestamps, as the API speaks them: `2026-02-21T03:27:00.123Z` (UTC, millisecond precision).

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

// The canonical form (what formatTimestamp writes) is by far the most common: parse it directly.
const CANONICAL = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;
let lastText = '';
let lastMs: number | undefined;

/** Milliseconds since the epoch for a strict RFC 3339 date-time, or undefined. */
export function parseTimestamp(text: string): number | undefined {
  // One event's created_at is parsed several times in a row (validation, encoding, the record timestamp).
  if (text === lastText) return lastMs;
  const ms =
    CANONICAL.test(text) && new Date(Date.parse(text)).toISOString() === text ? Date.parse(text) : parseLoose(text);
  lastText = text;
  lastMs = ms;
  return ms;
}

function parseLoose(text: string): number | undefined {
  const match = RFC3339.exec(text);
  if (!match) return undefined;
  const [, , mo, d, h, mi, s] = match.map(Number) as number[];
  if (mo! < 1 || mo! > 12 || d! < 1 || d! > 31 || h! > 23 || mi! > 59 || s! > 60) return undefined;
  const ms = Date.parse(text.replace(' ', 'T'));
  if (!Number.isFinite(ms)) return undefined;
  // Date.parse rolls 2026-02-31 over to March: refuse dates that do not exist.
  const offset =
    match[8]!.toUpperCase() === 'Z'
      ? 0
      : (match[8]!.startsWith('-') ? -1 : 1) * (Number(match[8]!.slice(1, 3)) * 60 + Number(match[8]!.slice(4, 6)));
  const local = new Date(ms + offset * 60_000);
  if (local.getUTCDate() !== d || local.getUTCMonth() + 1 !== mo) return undefined;
  return Math.floor(ms);
}

let lastFormattedMs = Number.NaN;
let lastFormatted = '';

/** `2026-02-21T03:27:00.123Z` */
export function formatTimestamp(ms: number): string {
  // A batch formats the same "now" for each of its events.
  if (ms !== lastFormattedMs) {
    lastFormatted = new Date(ms).toISOString();
    lastFormattedMs = ms;
  }
  return lastFormatted;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since the epoch for `YYYY-MM-DD`, or undefined. */
export function parseDate(text: string): number | undefined {
  if (!DATE.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return undefined;
  return ms / DAY_MS;
}

export function formatDate(days: number): string {
  return new Date(days * DAY_MS).toISOString().slice(0, 10);
}
