import { UnavailableError } from '../errors/index.js';

/** The oldest ClickHouse release the platform runs on: its schema and queries use DateTime64, LowCardinality, TTL and typed query parameters as 24.8 has them. */
export const MIN_CLICKHOUSE_VERSION = '24.8';

/** A ClickHouse that answers but is older than the platform requires: requests get 503 until a current one is back. */
export class UnsupportedClickHouseError extends UnavailableError {
  readonly found: string;
  constructor(found: string) {
    super(
      `ClickHouse ${found} is too old: the platform requires ClickHouse ${MIN_CLICKHOUSE_VERSION} or newer (run 'scripts/stack reset' and 'scripts/stack up' for the local stack)`,
    );
    this.found = found;
  }
}

/** The leading numbers of a version (`24.8.14.39` → [24, 8, 14, 39]); undefined when it does not start with one. */
export function parseVersion(text: string): number[] | undefined {
  const match = /^\s*(\d+(?:\.\d+)*)/.exec(text);
  return match ? match[1]!.split('.').map(Number) : undefined;
}

/** Whether `found` is at least `minimum`, comparing number by number (a missing number counts as 0). */
export function isAtLeast(found: string, minimum: string = MIN_CLICKHOUSE_VERSION): boolean {
  const have = parseVersion(found);
  const need = parseVersion(minimum);
  if (!have || !need) return false;
  for (let i = 0; i < Math.max(have.length, need.length); i += 1) {
    const a = have[i] ?? 0;
    const b = need[i] ?? 0;
    if (a !== b) return a > b;
  }
  return true;
}

/** Throws UnsupportedClickHouseError, naming the version, when `found` (what `SELECT version()` answered) is too old or unreadable. */
export function requireSupportedVersion(found: string): void {
  if (!isAtLeast(found)) throw new UnsupportedClickHouseError(found.trim() || '(no version)');
}
