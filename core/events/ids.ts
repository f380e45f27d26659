import { randomFillSync } from 'node:crypto';

// ULIDs (https://github.com/ulid/spec): 10 Crockford base32 characters of time in ms, then 16 of
// randomness, monotonic within a millisecond. Written here rather than taken from the `ulid`
// package because that one asks the OS for randomness once per character, which showed up at
// several per cent of the producer's CPU; this one draws from a pooled buffer.
const ENCODING = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_DIGITS = 16;
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;
let lastMs = -1;
const digits = new Uint8Array(RANDOM_DIGITS);

function freshRandom(): void {
  if (poolOffset + RANDOM_DIGITS > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  // 256 is a multiple of 32: the low five bits of a uniform byte are uniform.
  for (let i = 0; i < RANDOM_DIGITS; i += 1) digits[i] = pool[poolOffset + i]! & 31;
  poolOffset += RANDOM_DIGITS;
}

/** Adds one to the random part; false on overflow (2^80 ids in one millisecond). */
function increment(): boolean {
  for (let i = RANDOM_DIGITS - 1; i >= 0; i -= 1) {
    if (digits[i]! < 31) {
      digits[i]! += 1;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

/** A monotonic ULID: later calls sort after earlier ones, even within one millisecond or when the clock steps back. */
export function newUlid(nowMs: number = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    freshRandom();
  } else if (!increment()) {
    lastMs += 1;
    freshRandom();
  }
  let time = '';
  let ms = lastMs;
  for (let i = 0; i < 10; i += 1) {
    time = ENCODING[ms % 32]! + time;
    ms = Math.floor(ms / 32);
  }
  let random = '';
  for (let i = 0; i < RANDOM_DIGITS; i += 1) random += ENCODING[digits[i]!];
  return time + random;
}

/** Event ids: `evt_` and a ULID, so that ids sort by creation time. */
export function newEventId(nowMs: number = Date.now()): string {
  return 'evt_' + newUlid(nowMs);
}

/** Ids a producer may supply: `evt_` and 10 to 64 letters or digits (a ULID, a KSUID, a hex UUID…). */
export const EVENT_ID_PATTERN = /^evt_[0-9A-Za-z]{10,64}$/;

export function isValidEventId(id: unknown): id is string {
  return typeof id === 'string' && EVENT_ID_PATTERN.test(id);
}
