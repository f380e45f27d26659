import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook, WebhookVerificationError } from './verify.js';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const body = '{"id":"evt_1","type":"session.completed"}';
const nowMs = 1_700_000_000_000;
const timestamp = Math.floor(nowMs / 1000);

describe('signWebhook', () => {
  it('signs the Standard Webhooks reference vector exactly', async () => {
    expect(await signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}')).toBe(
      'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
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

describe('the SDK in browsers', () => {
  it('imports no Node module, directly or through the modules it shares with the server', () => {
    const seen = new Set<string>();
    const nodeImports: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const [, specifier] of text.matchAll(/^(?:import|export) (?!type )[^;]*? from '([^']+)';/gms)) {
        if (specifier!.startsWith('.')) visit(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
        else if (specifier!.startsWith('node:') || builtinModules.includes(specifier!))
          nodeImports.push(`${file}: ${specifier}`);
      }
    };
    visit(fileURLToPath(new URL('./index.ts', import.meta.url)));
    expect(seen.size).toBeGreaterThan(5);
    expect([...seen].some((file) => file.endsWith('core/webhooks/signature.ts'))).toBe(true);
    expect(nodeImports).toEqual([]);
  });
});
