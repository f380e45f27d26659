import { describe, expect, it } from 'vitest';
import { collectPage, FIRST_RESOURCE_SLICE_MS, type PageBounds, type Slice } from './query.js';

interface Key {
  created_at_ms: number;
  id: string;
}

const NOW = 1_790_000_000_000;
const HOUR = 3_600_000;

/** A small deterministic PRNG, so a failure repeats. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const compare = (a: Key, b: Key) => a.created_at_ms - b.created_at_ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function matches(key: Key, page: PageBounds, slice: Slice = {}): boolean {
  const t = key.created_at_ms;
  if (page.sinceMs !== undefined && t < page.sinceMs) return false;
  if (page.untilMs !== undefined && t >= page.untilMs) return false;
  if (slice.from !== undefined && t < slice.from) return false;
  if (slice.to !== undefined && t >= slice.to) return false;
  if (page.after) {
    const c = compare(key, { created_at_ms: page.after.t, id: page.after.i });
    if (page.order === 'desc' ? c >= 0 : c <= 0) return false;
  }
  return true;
}

function sorted(keys: Key[], order: 'asc' | 'desc'): Key[] {
  return [...keys].sort((a, b) => (order === 'asc' ? compare(a, b) : compare(b, a)));
}

/** What `ORDER BY created_at_ms, id LIMIT 1 BY id LIMIT n` answers over the whole table. */
function reference(keys: Key[], page: PageBounds): Key[] {
  const seen = new Set<string>();
  return sorted(
    keys.filter((key) => matches(key, page)),
    page.order,
  )
    .filter((key) => !seen.has(key.id) && seen.add(key.id))
    .slice(0, page.limit);
}

function table(keys: Key[]) {
  const reads: Slice[] = [];
  const read = async (slice: Slice, rows: number) => {
    reads.push(slice);
    return sorted(
      keys.filter((key) => matches(key, current!, slice)),
      current!.order,
    ).slice(0, rows);
  };
  let current: PageBounds | undefined;
  return {
    reads,
    page: (page: PageBounds, firstSliceMs?: number) => {
      current = page;
      reads.length = 0;
      return collectPage(page, NOW, read, firstSliceMs);
    },
  };
}

/** Events over 60 days before now (some up to 5 min after), denser lately, with copies of some ids. */
function history(seed: number, count: number): Key[] {
  const rand = random(seed);
  const keys: Key[] = [];
  for (let n = 0; n < count; n += 1) {
    const age = rand() < 0.02 ? -rand() * 300_000 : Math.floor(60 * 24 * HOUR * rand() ** 3);
    const key = {
      created_at_ms: Math.floor(NOW - age),
      id: `evt_${String(Math.floor(rand() * 1e9)).padStart(10, '0')}`,
    };
    keys.push(key);
    if (rand() < 0.05) keys.push({ ...key }); // a re-read copy
    if (rand() < 0.02) keys.push({ id: key.id, created_at_ms: key.created_at_ms - Math.floor(rand() * HOUR) }); // a retry with another created_at
  }
  return keys;
}

describe('collectPage', () => {
  it('answers exactly what one sorted query with LIMIT 1 BY id would, for every kind of page', async () => {
    for (const [seed, count] of [
      [1, 50],
      [2, 3000],
      [3, 20_000],
    ] as const) {
      const keys = history(seed, count);
      const t = table(keys);
      const rand = random(seed + 100);
      for (let n = 0; n < 60; n += 1) {
        const order = rand() < 0.5 ? 'asc' : 'desc';
        const limit = [2, 11, 101, 1001][n % 4]!;
        const pivot = keys[Math.floor(rand() * keys.length)]!;
        const page: PageBounds = { order, limit };
        if (rand() < 0.4) page.sinceMs = NOW - Math.floor(rand() * 40 * 24 * HOUR);
        if (rand() < 0.3)
          page.untilMs = (page.sinceMs ?? NOW - 50 * 24 * HOUR) + Math.floor(rand() * 20 * 24 * HOUR) + 1;
        if (rand() < 0.4) page.after = { t: pivot.created_at_ms, i: pivot.id };
        expect(await t.page(page), JSON.stringify(page)).toEqual(reference(keys, page));
        // Resource pages start wider: the same answer (every third page, to keep the test short).
        if (n % 3 === 0)
          expect(await t.page(page, FIRST_RESOURCE_SLICE_MS), JSON.stringify(page)).toEqual(reference(keys, page));
      }
    }
    // About 2.5 s on an idle 2-core machine: more room than the default 5 s for a busy one.
  }, 30_000);

  it('walks every page of a history with copies: each id at least once, twice only for copies stored at two times', async () => {
    const keys = history(7, 5000);
    const t = table(keys);
    for (const order of ['asc', 'desc'] as const) {
      const walked: string[] = [];
      let after: PageBounds['after'];
      for (;;) {
        const rows = await t.page({ order, limit: 101, after, sinceMs: NOW - 70 * 24 * HOUR });
        walked.push(...rows.slice(0, 100).map((row) => row.id));
        if (rows.length <= 100) break;
        const last = rows[99]!;
        after = { t: last.created_at_ms, i: last.id };
      }
      expect(new Set(walked).size).toBe(new Set(keys.map((key) => key.id)).size);
      // Copies are collapsed within a page; copies of one id stored with two created_at values (a
      // producer's retry that escaped the sink's check) can land on two pages, never more often.
      const times = new Map<string, Set<number>>();
      for (const key of keys) times.set(key.id, (times.get(key.id) ?? new Set()).add(key.created_at_ms));
      const seen = new Map<string, number>();
      for (const id of walked) seen.set(id, (seen.get(id) ?? 0) + 1);
      for (const [id, count] of seen) expect(count, id).toBeLessThanOrEqual(times.get(id)!.size);
      expect([...seen].filter(([id, count]) => count > 1 && times.get(id)!.size === 1)).toEqual([]);
    }
  });

  it('reads one narrow slice when the newest events fill the page', async () => {
    const keys = Array.from({ length: 20_000 }, (_, n) => ({
      created_at_ms: NOW - n * 1000,
      id: `evt_${String(n).padStart(10, '0')}`,
    }));
    const t = table(keys);
    await t.page({ order: 'desc', limit: 1001 });
    expect(t.reads).toEqual([{ from: NOW - HOUR, to: undefined }]);
    await t.page({ order: 'asc', limit: 101, sinceMs: NOW - 5 * HOUR });
    expect(t.reads).toEqual([{ from: NOW - 5 * HOUR, to: NOW - 4 * HOUR }]);
  });

  it('grows the slices from the density found, and reads at most five', async () => {
    // One event every 10 minutes: 101 events need about 17 hours.
    const keys = Array.from({ length: 5000 }, (_, n) => ({
      created_at_ms: NOW - n * 600_000,
      id: `evt_${String(n).padStart(10, '0')}`,
    }));
    const t = table(keys);
    const rows = await t.page({ order: 'desc', limit: 101 });
    expect(rows).toHaveLength(101);
    expect(t.reads.length).toBe(2);
    const sparse = table([{ created_at_ms: NOW - 400 * 24 * HOUR, id: 'evt_0000000001' }]);
    expect(await sparse.page({ order: 'desc', limit: 101 })).toHaveLength(1);
    expect(sparse.reads.length).toBe(5);
    expect(sparse.reads.at(-1)!.from).toBeUndefined();
    // A resource page's first slice is a day: the same 17 hours in one read.
    expect(await t.page({ order: 'desc', limit: 101 }, FIRST_RESOURCE_SLICE_MS)).toEqual(rows);
    expect(t.reads).toEqual([{ from: NOW - FIRST_RESOURCE_SLICE_MS, to: undefined }]);
  });
});
