import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** Where a page ended, and the snapshot the walk reads: opaque to clients, signed by the server. */
export interface CursorPosition {
  /** created_at_ms of the last event returned. */
  t: number;
  /** Its id (the tiebreaker). */
  i: string;
  /** The walk's snapshot: only rows ingested up to this second (included) are read, on every page. */
  a: number;
  /** Hash of the query's filters and order: a cursor only continues its own query. */
  q: string;
}

const MAC_BYTES = 16;

export function queryFingerprint(parts: unknown): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeCursor(position: CursorPosition, secret: string): string {
  const body = Buffer.from(JSON.stringify([1, position.t, position.i, position.a, position.q]));
  const mac = createHmac('sha256', secret).update(body).digest().subarray(0, MAC_BYTES);
  return Buffer.concat([mac, body]).toString('base64url');
}

/** The position, or undefined for a corrupted or forged cursor. */
export function decodeCursor(text: string, secret: string): CursorPosition | undefined {
  if (text.length > 2000 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const raw = Buffer.from(text, 'base64url');
  if (raw.length <= MAC_BYTES) return undefined;
  const mac = raw.subarray(0, MAC_BYTES);
  const body = raw.subarray(MAC_BYTES);
  const expected = createHmac('sha256', secret).update(body).digest().subarray(0, MAC_BYTES);
  if (!timingSafeEqual(mac, expected)) return undefined;
  try {
    const [version, t, i, a, q] = JSON.parse(body.toString()) as [number, number, string, number, string];
    if (
      version !== 1 ||
      !Number.isSafeInteger(t) ||
      typeof i !== 'string' ||
      !Number.isSafeInteger(a) ||
      typeof q !== 'string'
    )
      return undefined;
    return { t, i, a, q };
  } catch {
    return undefined;
  }
}
