import { EVENT_CATEGORIES, type EventCategory } from '../../core/events/categories.js';

/**
 * Where a stream stands in Kafka: for each category (topic `events.<category>`) the next offset
 * to read of each partition (index = partition). Every event of those topics below these offsets
 * has been sent to the client or did not match its filters.
 */
export type StreamPositions = Map<EventCategory, number[]>;

const VERSION = 1;
/** Bit i of the category mask is EVENT_CATEGORIES[i]. */
export const ALL_CATEGORIES_MASK = (1 << EVENT_CATEGORIES.length) - 1;

export function categoryMask(categories: Iterable<EventCategory>): number {
  let mask = 0;
  for (const category of categories) mask |= 1 << EVENT_CATEGORIES.indexOf(category);
  return mask;
}

function writeVarint(out: number[], value: number): void {
  // Offsets stay far below 2^53; division keeps them exact where bit operators would truncate at 2^31.
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
}

/**
 * The `id:` of a frame: `base64url(version, category mask, then per category its partition
 * count and each partition's next offset, as unsigned varints)`. About 1.5 bytes per partition
 * for young topics, 4 to 5 for busy ones; never signed, since it only names positions in topics
 * the server filters by organization anyway.
 */
export function encodeCursor(positions: StreamPositions, mask = ALL_CATEGORIES_MASK): string {
  const out: number[] = [VERSION];
  let present = 0;
  EVENT_CATEGORIES.forEach((category, index) => {
    if (mask & (1 << index) && positions.has(category)) present |= 1 << index;
  });
  out.push(present);
  EVENT_CATEGORIES.forEach((category, index) => {
    if (!(present & (1 << index))) return;
    const offsets = positions.get(category)!;
    writeVarint(out, offsets.length);
    for (const offset of offsets) writeVarint(out, offset);
  });
  return Buffer.from(out).toString('base64url');
}

const MAX_PARTITIONS = 10_000;

/** The positions of a cursor, or undefined when the text is not a cursor this server wrote. */
export function decodeCursor(text: string): StreamPositions | undefined {
  if (text.length === 0 || text.length > 64 * 1024 || !/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const bytes = Buffer.from(text, 'base64url');
  let at = 0;
  const readVarint = (): number | undefined => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i += 1) {
      if (at >= bytes.length) return undefined;
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * scale;
      if (!(byte & 0x80)) return Number.isSafeInteger(value) ? value : undefined;
      scale *= 0x80;
    }
    return undefined;
  };
  if (bytes.length < 2 || bytes[0] !== VERSION) return undefined;
  const present = bytes[1]!;
  at = 2;
  if (present & ~ALL_CATEGORIES_MASK) return undefined;
  const positions: StreamPositions = new Map();
  for (let index = 0; index < EVENT_CATEGORIES.length; index += 1) {
    if (!(present & (1 << index))) continue;
    const count = readVarint();
    if (count === undefined || count > MAX_PARTITIONS) return undefined;
    const offsets: number[] = [];
    for (let partition = 0; partition < count; partition += 1) {
      const offset = readVarint();
      if (offset === undefined) return undefined;
      offsets.push(offset);
    }
    positions.set(EVENT_CATEGORIES[index]!, offsets);
  }
  return at === bytes.length ? positions : undefined;
}

/** A deep copy (positions are mutated in place by the hub). */
export function copyPositions(positions: StreamPositions): StreamPositions {
  return new Map([...positions].map(([category, offsets]) => [category, [...offsets]]));
}

/** Element-wise maximum of two position sets, as a new set (categories of either). */
export function maxPositions(a: StreamPositions, b: StreamPositions): StreamPositions {
  const merged = copyPositions(a);
  for (const [category, offsets] of b) {
    const into = merged.get(category) ?? [];
    offsets.forEach((offset, partition) => {
      into[partition] = Math.max(into[partition] ?? 0, offset);
    });
    merged.set(category, into);
  }
  return merged;
}

/** True when every position of `floor` is at or below `positions`. */
export function dominates(positions: StreamPositions, floor: StreamPositions): boolean {
  for (const [category, offsets] of floor) {
    const have = positions.get(category);
    for (let partition = 0; partition < offsets.length; partition += 1) {
      if ((have?.[partition] ?? 0) < offsets[partition]!) return false;
    }
  }
  return true;
}
