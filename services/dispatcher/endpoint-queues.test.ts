import { describe, expect, it } from 'vitest';
import { createEndpointQueues } from './endpoint-queues.js';

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

describe('endpoint queues', () => {
  it('runs at most maxConcurrent per endpoint, queues up to maxQueued, refuses the rest', async () => {
    let totals = { running: 0, queued: 0 };
    const queues = createEndpointQueues({
      maxConcurrent: 2,
      maxQueued: 1,
      onChange: (now) => {
        totals = now;
      },
    });
    const slow = gate();
    const started: number[] = [];
    const task = (n: number) => async () => {
      started.push(n);
      await slow.opened;
    };
    expect([1, 2, 3, 4].map((n) => queues.submit('slow', task(n)))).toEqual([true, true, true, false]);
    await Promise.resolve();
    expect(started).toEqual([1, 2]);
    expect(totals).toEqual({ running: 2, queued: 1 });
    slow.open();
    await queues.idle();
    expect(started).toEqual([1, 2, 3]);
    expect(totals).toEqual({ running: 0, queued: 0 });
  });

  it('never lets a saturated endpoint hold another one back', async () => {
    const queues = createEndpointQueues({ maxConcurrent: 1, maxQueued: 0 });
    const slow = gate();
    queues.submit('slow', () => slow.opened);
    let healthy = 0;
    for (let n = 0; n < 5; n += 1) {
      expect(
        queues.submit('healthy', async () => {
          healthy += 1;
        }),
      ).toBe(true);
      expect(queues.submit('slow', async () => {})).toBe(false);
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(healthy).toBe(5);
    slow.open();
    await queues.idle();
  });

  it('keeps going after a task rejects', async () => {
    const queues = createEndpointQueues({ maxConcurrent: 1, maxQueued: 5 });
    let ran = 0;
    queues.submit('e', async () => {
      throw new Error('boom');
    });
    queues.submit('e', async () => {
      ran += 1;
    });
    await queues.idle();
    expect(ran).toBe(1);
  });
});
