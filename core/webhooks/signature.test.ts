import { describe, expect, it } from 'vitest';
import {
  signatureHeaders,
  signWebhook,
  verifySignature,
  verifySignatureAsync,
  webhookKey,
  type ReceivedHeaders,
  type VerifySignatureOptions,
} from './signature.js';

// The Standard Webhooks reference vector (standard-webhooks/standard-webhooks, libraries/javascript/src/webhook.test.ts).
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestampSeconds: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const nowMs = VECTOR.timestampSeconds * 1000;

describe('signatureHeaders', () => {
  it('signs the Standard Webhooks reference vector exactly', () => {
    expect(signatureHeaders([VECTOR.secret], VECTOR.id, VECTOR.body, nowMs + 999)).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': String(VECTOR.timestampSeconds),
      'webhook-signature': VECTOR.signature,
    });
  });

  it('signs once per active secret, space-separated, the current one first', () => {
    const headers = signatureHeaders(
      [VECTOR.secret, 'a-plain-secret-of-at-least-24-chars'],
      VECTOR.id,
      VECTOR.body,
      nowMs,
    );
    const [first, second] = headers['webhook-signature']!.split(' ');
    expect(first).toBe(VECTOR.signature);
    expect(second).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(second).not.toBe(first);
  });
});

describe('signWebhook (WebCrypto)', () => {
  it('signs the reference vector exactly, as the synchronous signer does', async () => {
    expect(await signWebhook(VECTOR.secret, VECTOR.id, VECTOR.timestampSeconds, VECTOR.body)).toBe(VECTOR.signature);
    for (const secret of [VECTOR.secret, 'plain-secret-with-ünïcode-and-24+-chars', 'whsec_c2hvcnQ=']) {
      const body = `{"n":${Math.random()},"text":"é✓"}`;
      const sync = signatureHeaders([secret], 'evt_abc123', body, 1_700_000_000_000)['webhook-signature'];
      expect(await signWebhook(secret, 'evt_abc123', 1_700_000_000, body)).toBe(sync);
    }
  });
});

describe('webhookKey', () => {
  it('decodes a whsec_ secret and takes the UTF-8 bytes of any other', () => {
    expect([...webhookKey('whsec_AQID')]).toEqual([1, 2, 3]);
    expect([...webhookKey('é')]).toEqual([0xc3, 0xa9]);
  });
});

// Both verifiers apply the same checks: every case below runs through each.
const verifiers: [
  string,
  (...args: Parameters<typeof verifySignature>) => Promise<ReturnType<typeof verifySignature>>,
][] = [
  ['sync', async (...args) => verifySignature(...args)],
  ['WebCrypto', (...args) => verifySignatureAsync(...args)],
];

describe.each(verifiers)('verifySignature (%s)', (_kind, verify) => {
  const check = (
    secrets: string | readonly string[],
    given: ReceivedHeaders,
    body: string,
    options: VerifySignatureOptions,
  ) => verify(secrets, given, body, options);

  const headers = {
    'webhook-id': VECTOR.id,
    'webhook-timestamp': String(VECTOR.timestampSeconds),
    'webhook-signature': VECTOR.signature,
  };

  it('accepts the reference vector', async () => {
    expect(await check(VECTOR.secret, headers, VECTOR.body, { nowMs })).toEqual({
      ok: true,
      id: VECTOR.id,
      timestampSeconds: VECTOR.timestampSeconds,
    });
  });

  it('accepts any one of several signatures and secrets (a rotation), and fetch Headers', async () => {
    const multi = {
      ...headers,
      'webhook-signature': `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= ${VECTOR.signature}`,
    };
    expect(
      (await check(['whsec_b2xkb2xkb2xkb2xkb2xkb2xkb2xkb2xk', VECTOR.secret], multi, VECTOR.body, { nowMs })).ok,
    ).toBe(true);
    expect((await check(VECTOR.secret, new Headers(headers), VECTOR.body, { nowMs })).ok).toBe(true);
  });

  it('reads Node header arrays and mixed-case names', async () => {
    expect(
      (
        await check(
          VECTOR.secret,
          {
            'Webhook-Id': VECTOR.id,
            'webhook-timestamp': [String(VECTOR.timestampSeconds)],
            'webhook-signature': VECTOR.signature,
          },
          VECTOR.body,
          { nowMs },
        )
      ).ok,
    ).toBe(true);
  });

  it('accepts a timestamp up to 5 minutes either side, not beyond', async () => {
    expect((await check(VECTOR.secret, headers, VECTOR.body, { nowMs: nowMs + 300_000 })).ok).toBe(true);
    expect((await check(VECTOR.secret, headers, VECTOR.body, { nowMs: nowMs - 300_000 })).ok).toBe(true);
    expect(await check(VECTOR.secret, headers, VECTOR.body, { nowMs: nowMs + 301_000 })).toEqual({
      ok: false,
      reason: 'webhook-timestamp is too old',
    });
    expect(await check(VECTOR.secret, headers, VECTOR.body, { nowMs: nowMs - 301_000 })).toEqual({
      ok: false,
      reason: 'webhook-timestamp is too far in the future',
    });
  });

  it.each([
    ['a tampered body', headers, VECTOR.body.replace('2432232314', '2432232315'), /no matching signature/],
    ['another id', { ...headers, 'webhook-id': 'msg_other' }, VECTOR.body, /no matching signature/],
    [
      'a partial signature',
      { ...headers, 'webhook-signature': VECTOR.signature.slice(0, 8) },
      VECTOR.body,
      /no matching signature/,
    ],
    ['an empty v1 signature', { ...headers, 'webhook-signature': 'v1,' }, VECTOR.body, /no matching signature/],
    [
      'a v2 signature only',
      { ...headers, 'webhook-signature': VECTOR.signature.replace('v1,', 'v2,') },
      VECTOR.body,
      /no matching signature/,
    ],
    ['garbage', { ...headers, 'webhook-signature': 'v1,dawfeoifkpqwoekfpqoekf' }, VECTOR.body, /no matching signature/],
    ['a non-numeric timestamp', { ...headers, 'webhook-timestamp': 'hello' }, VECTOR.body, /invalid webhook-timestamp/],
    // One rule for the timestamp: unix seconds as 1 to 12 digits, nothing else.
    ...['1614265330abc', ' 1614265330', '+1614265330', '1614265330.0', '1e9', '0001614265330'].map(
      (timestamp) =>
        [
          `the timestamp "${timestamp}"`,
          { ...headers, 'webhook-timestamp': timestamp },
          VECTOR.body,
          /invalid/,
        ] as const,
    ),
    [
      'a missing id',
      { 'webhook-timestamp': headers['webhook-timestamp'], 'webhook-signature': VECTOR.signature },
      VECTOR.body,
      /missing/,
    ],
    [
      'a missing signature',
      { 'webhook-id': VECTOR.id, 'webhook-timestamp': headers['webhook-timestamp'] },
      VECTOR.body,
      /missing/,
    ],
  ] as [string, ReceivedHeaders, string, RegExp][])('refuses %s', async (_name, given, body, reason) => {
    const result = await check(VECTOR.secret, given, body, { nowMs });
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reason).toMatch(reason);
  });

  it('refuses the right signature under a wrong secret', async () => {
    expect((await check('whsec_d3JvbmdzZWNyZXR3cm9uZ3NlY3JldHdyb25n', headers, VECTOR.body, { nowMs })).ok).toBe(false);
  });

  it('round-trips what signatureHeaders produces, plain secrets keyed by their UTF-8 bytes', async () => {
    const secret = 'plain-secret-with-ünïcode-and-24+-chars';
    const signed = signatureHeaders([secret], 'evt_1', '{"a":1}', 1_700_000_000_000);
    expect((await check(secret, signed, '{"a":1}', { nowMs: 1_700_000_000_000 })).ok).toBe(true);
    expect(
      (await check(Buffer.from(secret).toString('latin1'), signed, '{"a":1}', { nowMs: 1_700_000_000_000 })).ok,
    ).toBe(false);
  });
});
