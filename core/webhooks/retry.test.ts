import { describe, expect, it } from 'vitest';
import { sendWithRetries, type SendResult } from './retry.js';

const request = () => ({ url: 'http://receiver.test/', body: '{}', headers: {} });

function scripted(results: SendResult[]) {
  const calls: number[] = [];
  return {
    calls,
    send: async () => {
      calls.push(calls.length + 1);
      return results.shift() ?? { ok: true, status: 200 };
    },
  };
}

describe('sendWithRetries', () => {
  it('retries on the schedule until a 2xx', async () => {
    const slept: number[] = [];
    const { send, calls } = scripted([
      { ok: false, status: 500 },
      { ok: false, error: 'ECONNREFUSED' },
    ]);
    const result = await sendWithRetries(request, {
      send,
      scheduleMs: [100, 200, 400],
      jitter: 0,
      signal: new AbortController().signal,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    expect(result).toMatchObject({ ok: true, attempts: 3 });
    expect(calls).toHaveLength(3);
    expect(slept).toEqual([100, 200]);
  });

  it('gives up after the last delay with the last failure', async () => {
    const { send } = scripted([
      { ok: false, status: 500 },
      { ok: false, status: 502 },
      { ok: false, status: 503 },
    ]);
    const result = await sendWithRetries(request, {
      send,
      scheduleMs: [1, 1],
      jitter: 0,
      signal: new AbortController().signal,
      sleep: async () => {},
    });
    expect(result).toMatchObject({ ok: false, status: 503, attempts: 3 });
  });

  it('stops at once when the URL rules refused the target', async () => {
    const { send, calls } = scripted([{ ok: false, refused: true, error: 'refused: webhook URLs must be https' }]);
    const result = await sendWithRetries(request, {
      send,
      scheduleMs: [1, 1, 1],
      jitter: 0,
      signal: new AbortController().signal,
      sleep: async () => {},
    });
    expect(result).toMatchObject({ ok: false, refused: true, attempts: 1 });
    expect(calls).toHaveLength(1);
  });

  it('waits at least what Retry-After asks', async () => {
    const slept: number[] = [];
    const { send } = scripted([{ ok: false, status: 429, retryAfterMs: 5000 }]);
    await sendWithRetries(request, {
      send,
      scheduleMs: [100],
      jitter: 0,
      signal: new AbortController().signal,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    expect(slept).toEqual([5000]);
  });

  it('keeps jitter within its share', async () => {
    const slept: number[] = [];
    const { send } = scripted(Array.from({ length: 50 }, () => ({ ok: false, status: 500 })));
    await sendWithRetries(request, {
      send,
      scheduleMs: Array.from({ length: 50 }, () => 1000),
      jitter: 0.2,
      signal: new AbortController().signal,
      sleep: async (ms) => {
        slept.push(ms);
      },
    });
    expect(Math.min(...slept)).toBeGreaterThanOrEqual(800);
    expect(Math.max(...slept)).toBeLessThanOrEqual(1200);
    expect(new Set(slept).size).toBeGreaterThan(1);
  });
});
