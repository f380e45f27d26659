import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook, WebhookVerificationError } from './verify.js';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = '{"id":"evt_1","type":"session.completed"}';
const nowMs = 1_700_000_000_000;
const timestamp = Math.floor(nowMs / 1000);

/** The signature computed independently with node:crypto, as the spec defines it. */
function reference(key: string, id: string, ts: number, payload: string): string {
  const bytes = key.startsWith('whsec_') ? Buffer.from(key.slice(6), 'base64') : Buffer.from(key, 'utf8');
  return `v1,${createHmac('sha256', bytes).update(`${id}.${ts}.${payload}`).digest('base64')}`;
}

describe('signWebhook', () => {
  it('matches HMAC-SHA256 over {id}.{timestamp}.{body} with the decoded whsec_ key', async () => {
    expect(await signWebhook(secret, 'msg_1', timestamp, body)).toBe(reference(secret, 'msg_1', timestamp, body));
  });

  it('uses the UTF-8 bytes of a secret that is not whsec_', async () => {
    expect(await signWebhook('plain-secret-of-24-chars!', 'msg_1', timestamp, body)).toBe(
      reference('plain-secret-of-24-chars!', 'msg_1', timestamp, body),
    );
  });
});

describe('verifyWebhook', () => {
  const headers = async (overrides: Record<string, string> = {}) => ({
    'webhook-id': 'msg_1',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await signWebhook(secret, 'msg_1', timestamp, body),
    ...overrides,
  });

  it('accepts a genuine delivery and answers its event', async () => {
    expect(await verifyWebhook(body, await headers(), secret, { nowMs })).toEqual({
      id: 'evt_1',
      type: 'session.completed',
    });
  });

  it('accepts any of several signatures (a rotation) and any of several secrets', async () => {
    const h = await headers({
      'webhook-signature': `v1,bm9wZQ== ${await signWebhook(secret, 'msg_1', timestamp, body)}`,
    });
    expect(await verifyWebhook(body, h, ['whsec_b2xkb2xkb2xkb2xkb2xkb2xk', secret], { nowMs })).toBeTruthy();
  });

  it('reads headers from a Headers object too', async () => {
    expect(await verifyWebhook(body, new Headers(await headers()), secret, { nowMs })).toBeTruthy();
  });

  it.each([
    [
      'a tampered body',
      async () => verifyWebhook(body.replace('completed', 'failed'), await headers(), secret, { nowMs }),
      /no matching signature/,
    ],
    [
      'a wrong secret',
      async () => verifyWebhook(body, await headers(), 'whsec_d3JvbmdzZWNyZXR3cm9uZ3NlY3JldA==', { nowMs }),
      /no matching signature/,
    ],
    [
      'a stale timestamp',
      async () => verifyWebhook(body, await headers(), secret, { nowMs: nowMs + 301_000 }),
      /too old/,
    ],
    [
      'a future timestamp',
      async () => verifyWebhook(body, await headers(), secret, { nowMs: nowMs - 301_000 }),
      /future/,
    ],
    ['a missing header', async () => verifyWebhook(body, { 'webhook-id': 'msg_1' }, secret, { nowMs }), /missing/],
    [
      'another id',
      async () => verifyWebhook(body, await headers({ 'webhook-id': 'msg_2' }), secret, { nowMs }),
      /no matching signature/,
    ],
  ])('refuses %s', async (_name, attempt, message) => {
    await expect(attempt()).rejects.toThrow(WebhookVerificationError);
    await expect(attempt()).rejects.toThrow(message);
  });
});
