import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.js';

const sizeOf = (item: string) => item.length;

describe('createBatcher', () => {
  it('flushes after linger with everything added meanwhile', async () => {
    const batches: string[][] = [];
    const batcher = createBatcher<string>({
      lingerMs: 10,
      sizeOf,
      handle: async (items) => {
        batches.push(items);
      },
    });
    await Promise.all([batcher.add(['a']), batcher.add(['b', 'c'])]);
    expect(batches).toEqual([['a', 'b', 'c']]);
  });

  it('splits by count and by bytes', async () => {
    const batches: string[][] = [];
    const batcher = createBatcher<string>({
      lingerMs: 1000,
      maxItems: 2,
      maxBytes: 5,
      sizeOf,
      handle: async (items) => {
        batches.push(items);
      },
    });
    const added = batcher.add(['a', 'b', 'c', 'dddd', 'eeee']);
    await batcher.flush();
    await added;
    expect(batches).toEqual([['a', 'b'], ['c', 'dddd'], ['eeee']]);
  });

  it('rejects exactly the callers whose batch failed', async () => {
    let calls = 0;
    const batcher = createBatcher<string>({
      lingerMs: 1,
      maxItems: 1,
      sizeOf,
      handle: async () => {
        calls += 1;
        if (calls === 1) throw new Error('broker down');
      },
    });
    const results = await Promise.allSettled([batcher.add(['x']), batcher.add(['y'])]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
  });

  it('keeps at most maxInFlight batches running', async () => {
    let running = 0;
    let peak = 0;
    const batcher = createBatcher<string>({
      lingerMs: 1,
      maxItems: 1,
      maxInFlight: 2,
      sizeOf,
      handle: async () => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running -= 1;
      },
    });
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((item) => batcher.add([item])));
    expect(peak).toBe(2);
  });
});
