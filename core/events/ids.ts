import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/** Event ids: `evt_` and a ULID, so that ids sort by creation time. */
export function newEventId(nowMs: number = Date.now()): string {
  return 'evt_' + nextUlid(nowMs);
}

/** Ids a producer may supply: `evt_` and 10 to 64 letters or digits (a ULID, a KSUID, a hex UUID…). */
export const EVENT_ID_PATTERN = /^evt_[0-9A-Za-z]{10,64}$/;

export function isValidEventId(id: unknown): id is string {
  return typeof id === 'string' && EVENT_ID_PATTERN.test(id);
}
