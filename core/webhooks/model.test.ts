import { describe, expect, it } from 'vitest';
import {
  activeSecrets,
  generateSecret,
  MAX_SECRETS,
  newWebhookId,
  publicWebhook,
  rotatedSecrets,
  secretProblem,
  type WebhookSubscription,
} from './model.js';

const HOUR = 3_600_000;

describe('secrets', () => {
  it('generates whsec_ + 32 random bytes, each one different, all acceptable', () => {
    const a = generateSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(a.slice(6), 'base64')).toHaveLength(32);
    expect(generateSecret()).not.toBe(a);
    expect(secretProblem(a)).toBeUndefined();
  });

  it.each([
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', undefined], // 24 bytes: the Standard Webhooks example
    ['a-plain-secret-of-24-char', undefined],
    ['x'.repeat(256), undefined],
    ['your_webhook_secret', /too short: at least 24 characters/],
    ['whsec_c2hvcnQ=', /must encode 24 to 64 bytes \(it encodes 5\)/],
    [`whsec_${Buffer.alloc(65).toString('base64')}`, /must encode 24 to 64 bytes/],
    ['whsec_not base64 at all, but long enough!!', /followed by base64/],
    ['x'.repeat(257), /too long/],
    [' a-plain-secret-of-24-chars ', /spaces/],
    ['a-plain-secret\nof-24-chars-and-more', /control characters/],
    [42, /must be a string/],
  ])('judges %s', (secret, problem) => {
    if (problem === undefined) expect(secretProblem(secret)).toBeUndefined();
    else expect(secretProblem(secret)).toMatch(problem);
  });
});

describe('rotatedSecrets', () => {
  const now = 1_700_000_000_000;

  it('puts the new secret first and lets the old one sign until the grace period ends', () => {
    const secrets = rotatedSecrets({ secrets: [{ secret: 'old', expires_at_ms: null }] }, 'new', now, 24 * HOUR);
    expect(secrets).toEqual([
      { secret: 'new', expires_at_ms: null },
      { secret: 'old', expires_at_ms: now + 24 * HOUR },
    ]);
    expect(activeSecrets({ secrets }, now + 23 * HOUR)).toEqual(['new', 'old']);
    expect(activeSecrets({ secrets }, now + 24 * HOUR)).toEqual(['new']);
  });

  it('keeps earlier expiries, drops expired secrets, and keeps at most MAX_SECRETS', () => {
    const secrets = rotatedSecrets(
      {
        secrets: [
          { secret: 'b', expires_at_ms: null },
          { secret: 'a', expires_at_ms: now + HOUR },
          { secret: 'gone', expires_at_ms: now - 1 },
        ],
      },
      'c',
      now,
      24 * HOUR,
    );
    expect(secrets).toEqual([
      { secret: 'c', expires_at_ms: null },
      { secret: 'b', expires_at_ms: now + 24 * HOUR },
      { secret: 'a', expires_at_ms: now + HOUR },
    ]);
    let many = { secrets: [{ secret: 's0', expires_at_ms: null as number | null }] };
    for (let i = 1; i <= 10; i += 1) many = { secrets: rotatedSecrets(many, `s${i}`, now + i, 24 * HOUR) };
    expect(many.secrets.map((s) => s.secret)).toEqual(['s10', 's9', 's8', 's7', 's6'].slice(0, MAX_SECRETS));
  });

  it('with no grace period, the old secret stops at once', () => {
    expect(rotatedSecrets({ secrets: [{ secret: 'old', expires_at_ms: null }] }, 'new', now, 0)).toEqual([
      { secret: 'new', expires_at_ms: null },
    ]);
  });
});

describe('publicWebhook', () => {
  it('shows the subscription without its secrets, with RFC 3339 times', () => {
    const subscription: WebhookSubscription = {
      id: newWebhookId(),
      organization_id: 'org_1',
      url: 'https://example.com/hook',
      events: ['session.*'],
      description: null,
      enabled: true,
      disabled_reason: null,
      secrets: [{ secret: 'whsec_x', expires_at_ms: null }],
      created_at_ms: 1_700_000_000_000,
      updated_at_ms: 1_700_000_000_500,
    };
    const shown = publicWebhook(subscription);
    expect(shown.id).toMatch(/^wh_[0-9A-Z]{26}$/);
    expect(JSON.stringify(shown)).not.toContain('whsec_');
    expect(shown).toMatchObject({ created_at: '2023-11-14T22:13:20.000Z', updated_at: '2023-11-14T22:13:20.500Z' });
  });
});
