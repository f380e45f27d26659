import { PlatformError } from '../../../core/errors/index.js';
import { decodeCursor, type CursorPosition } from '../../../core/history/cursor.js';

/**
 * Where a page continues from (`cursor`): undefined for a first page, or `invalid_cursor` for a
 * cursor this API did not issue, or issued for another query (`fingerprint`). `keep` names what
 * must stay the same while paging (e.g. "filters and order").
 */
export function pageCursor(
  text: string | undefined,
  { secret, fingerprint, keep }: { secret: string; fingerprint: string; keep: string },
): CursorPosition | undefined {
  if (text === undefined) return undefined;
  const cursor = decodeCursor(text, secret);
  if (!cursor)
    throw new PlatformError('invalid_cursor', 'The cursor is corrupted or was not issued by this API', {
      details: [{ field: 'cursor', message: 'is not a valid cursor' }],
    });
  if (cursor.q !== fingerprint)
    throw new PlatformError(
      'invalid_cursor',
      `The cursor belongs to another query: keep the same ${keep} while paging`,
      {
        details: [{ field: 'cursor', message: 'belongs to another query' }],
      },
    );
  return cursor;
}
