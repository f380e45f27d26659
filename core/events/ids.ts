import { randomFillSync } from 'node:crypto';
import { monotonicFactory } from 'ulid';

// The library's default draws one byte from the OS per random character: 16 calls whenever the
// millisecond changes (ids within one millisecond are increments). At thousands of ids a second
// spread over distinct milliseconds (a `webhook.sent` event per delivery) that showed in profiles;
// a pool filled 4 KiB at a time gives the same uniform bytes.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
function pooledRandom(): number {
  if (poolOffset >= pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  return pool[poolOffset++]! / 256;
}

const nextUlid = monotonicFactory(pooledRandom);

/** Event ids: `evt_` and a ULID, so that ids sort by creation time. */
export function newEventId(nowMs: number = Date.now()): string {
  return `evt_${nextUlid(nowMs)}`;
}

/**
 * Ids a producer may supply: `evt_` and 1 to 100 letters, digits, `_` or `-` (a ULID, a UUID, the
 * guide's `evt_abc123`…). Those characters need no escaping in a URL path, a header or a log line.
 */
export const EVENT_ID_PATTERN = /^evt_[0-9A-Za-z_-]{1,100}$/;
export const EVENT_ID_RULE = '"evt_" followed by 1 to 100 letters, digits, "_" or "-"';

export function isValidEventId(id: unknown): id is string {
  return typeof id === 'string' && EVENT_ID_PATTERN.test(id);
}
