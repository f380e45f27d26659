import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { newEventId } from '../../core/events/ids.js';
import { startDispatcher } from '../../services/dispatcher/start.js';
import {
  createClient,
  InvalidRequestError,
  NotFoundError,
  verifyWebhook,
  WebhookVerificationError,
  type Client,
  type CreatedWebhook,
} from '../../sdk/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, uniqueOrganization } from '../support/config.js';
import { startReceiver, type ReceivedRequest, type Receiver } from '../support/receiver.js';

const org = uniqueOrganization('org_sdkwh');
const otherOrg = uniqueOrganization('org_sdkwh_other');
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

let t: TestApi;
let client: Client;
let other: Client;
let dispatcher: { stop: () => Promise<void> } | undefined;
const receivers: Receiver[] = [];

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

beforeAll(async () => {
  t = await startTestApi({
    organizations: [org, otherOrg],
    env: {
      RG_WEBHOOK_RETRY_SCHEDULE: '300ms,600ms,1s,2s,2s,2s,2s,2s',
      RG_WEBHOOK_TIMEOUT: '2s',
      RG_DISPATCHER_GROUP: `rg-dispatcher-sdkwh-${run}`,
      RG_DISPATCHER_RETRY_GROUP: `rg-dispatcher-retries-sdkwh-${run}`,
    },
  });
  dispatcher = await startDispatcher(t.platform);
  client = createClient({ apiKey: `key_${org}`, baseUrl: t.url, timeoutMs: 90_000, maxRetries: 5 });
  other = createClient({ apiKey: `key_${otherOrg}`, baseUrl: t.url });
}, 120_000);

afterAll(async () => {
  // Deleting the webhooks first lets any leftover retry fail for good at once.
  for (const webhook of (await client?.webhooks.list().catch(() => undefined))?.data ?? [])
    await client.webhooks.delete(webhook.id).catch(() => undefined);
  await dispatcher?.stop();
  for (const r of receivers) await r.close();
  await t?.stop();
});

const completed = (n: number) => ({
  id: newEventId(),
  type: 'session.completed' as const,
  data: { ...GUIDE_EXAMPLES['session.completed'], session_id: `sess_sdkwh_${n}` } as never,
});

/**
 * Publishes a session.completed until the receiver gets one: a new webhook reaches the
 * dispatcher's copy of the subscriptions within about a second, and an event it reads before
 * that is not matched to the webhook.
 */
async function deliverOne(to: Receiver, n: number): Promise<{ id: string; request: ReceivedRequest }> {
  return eventually(
    async () => {
      const [published] = await client.events.publish(completed(n));
      const request = await eventually(() => to.received.find((r) => r.headers['webhook-id'] === published!.id), {
        timeoutMs: 8_000,
      }).catch(() => undefined);
      return request ? { id: published!.id, request } : undefined;
    },
    { timeoutMs: 150_000, intervalMs: 0, what: 'a delivery' },
  );
}

// Generous: the shared 2-core machine can make Kafka slow to acknowledge.
describe('webhooks through the SDK', { timeout: 300_000 }, () => {
  it('creates (the secret shown once), gets, lists, updates and deletes a webhook', async () => {
    const created = await client.webhooks.create({
      url: 'https://example.com/webhook',
      events: ['agent.created', 'session.completed', 'session.failed'],
      description: 'sdk test',
    });
    expect(created.id).toMatch(/^wh_/);
    expect(created.secret).toMatch(/^whsec_/);
    expect(created).toMatchObject({
      url: 'https://example.com/webhook',
      events: ['agent.created', 'session.completed', 'session.failed'],
      description: 'sdk test',
      enabled: true,
      disabled_reason: null,
    });

    const fetched = await client.webhooks.get(created.id);
    expect(fetched).not.toHaveProperty('secret');
    expect(fetched.created_at).toBe(created.created_at);
    const listed = await client.webhooks.list();
    expect(listed.has_more).toBe(false);
    expect(listed.data.map((w) => w.id)).toContain(created.id);
    expect(listed.data.every((w) => !('secret' in w))).toBe(true);

    const given = 'a-signing-secret-of-more-than-24-chars';
    expect(
      (await client.webhooks.create({ url: 'https://example.com/other', events: ['*'], secret: given })).secret,
    ).toBe(given);

    const updated = await client.webhooks.update(created.id, {
      events: ['session.*'],
      description: null,
      enabled: false,
    });
    expect(updated).toMatchObject({
      id: created.id,
      events: ['session.*'],
      description: null,
      enabled: false,
      url: 'https://example.com/webhook',
    });
    expect((await client.webhooks.get(created.id)).enabled).toBe(false);

    await client.webhooks.delete(created.id);
    await expect(client.webhooks.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await client.webhooks.list()).data.map((w) => w.id)).not.toContain(created.id);
  });

  it('types errors: another organization’s webhook is not found, bad input names the field', async () => {
    const mine = await client.webhooks.create({ url: 'https://example.com/mine', events: ['agent.*'] });
    for (const attempt of [
      () => other.webhooks.get(mine.id),
      () => other.webhooks.update(mine.id, { enabled: false }),
      () => other.webhooks.rotateSecret(mine.id),
      () => other.webhooks.delete(mine.id),
      () => other.webhooks.deliveries(mine.id),
      () => other.webhooks.test(mine.id),
    ]) {
      const error = await attempt().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(NotFoundError);
      expect(error).toMatchObject({ status: 404, code: 'not_found' });
    }
    expect((await client.webhooks.get(mine.id)).enabled).toBe(true);

    const badUrl = await client.webhooks
      .create({ url: 'ftp://example.com/hook', events: ['agent.*'] })
      .catch((e: unknown) => e);
    expect(badUrl).toBeInstanceOf(InvalidRequestError);
    expect(badUrl).toMatchObject({ status: 400, code: 'invalid_request' });
    expect((badUrl as InvalidRequestError).details.map((d) => d.field)).toEqual(['url']);

    const badType = await client.webhooks
      .create({ url: 'https://example.com/hook', events: ['session.exploded'] })
      .catch((e: unknown) => e);
    expect(badType).toBeInstanceOf(InvalidRequestError);
    expect((badType as InvalidRequestError).code).toBe('unknown_event_type');
    expect((badType as InvalidRequestError).details[0]!.field).toMatch(/^events/);

    const shortSecret = await client.webhooks
      .create({ url: 'https://example.com/hook', events: ['*'], secret: 'your_webhook_secret' })
      .catch((e: unknown) => e);
    expect((shortSecret as InvalidRequestError).details.map((d) => d.field)).toEqual(['secret']);
    await expect(client.webhooks.update(mine.id, { secret: 'x' } as never)).rejects.toMatchObject({
      code: 'invalid_request',
      details: [{ field: 'secret' }],
    });
  });

  it('sends a signed test delivery that verifyWebhook accepts', async () => {
    const r = await receiver();
    const webhook = await client.webhooks.create({ url: r.url, events: ['agent.created'] });
    const result = await client.webhooks.test(webhook.id);
    expect(result).toMatchObject({ delivered: true, status_code: 200, error: null });
    const request = r.received.find((q) => q.headers['webhook-id'] === result.event_id)!;
    const event = await verifyWebhook<{ type: string; data: { webhook_id: string } }>(
      request.body,
      request.headers,
      webhook.secret,
    );
    expect(event.type).toBe('webhook.test');
    expect(event.data.webhook_id).toBe(webhook.id);

    r.respond = () => ({ status: 503 });
    const failing = await client.webhooks.test(webhook.id);
    expect(failing).toMatchObject({ delivered: false, status_code: 503 });
  });

  describe('real deliveries', () => {
    let r: Receiver;
    let webhook: CreatedWebhook;

    beforeAll(async () => {
      r = await receiver();
      webhook = await client.webhooks.create({ url: r.url, events: ['session.completed'] });
    });

    it('verifies a real delivery, and refuses a tampered body, a wrong secret and a stale timestamp', async () => {
      const { id, request } = await deliverOne(r, 1);
      const event = await verifyWebhook<{ id: string; type: string }>(request.body, request.headers, webhook.secret);
      expect(event).toMatchObject({ id, type: 'session.completed' });
      await expect(
        verifyWebhook(request.body.replace('sess_sdkwh_1', 'sess_evil'), request.headers, webhook.secret),
      ).rejects.toBeInstanceOf(WebhookVerificationError);
      await expect(
        verifyWebhook(request.body, request.headers, 'whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldCE='),
      ).rejects.toThrow(/no matching signature/);
      await expect(
        verifyWebhook(request.body, request.headers, webhook.secret, { nowMs: Date.now() + 600_000 }),
      ).rejects.toThrow(/too old/);
    });

    it('lists delivery attempts: a failure with its next retry, then the success', async () => {
      // The first attempt of every event fails with 500; the retry succeeds.
      const seen = new Set<string>();
      r.respond = (request) => {
        const id = String(request.headers['webhook-id']);
        if (seen.has(id)) return { status: 200 };
        seen.add(id);
        return { status: 500 };
      };
      const { id } = await deliverOne(r, 2);
      await eventually(() => r.received.filter((q) => q.headers['webhook-id'] === id).length >= 2 || undefined, {
        timeoutMs: 30_000,
      });
      const attempts = await eventually(
        async () => {
          const page = await client.webhooks.deliveries(webhook.id, { event_id: id });
          return page.data.some((d) => d.state === 'delivered') && page.data.length >= 2 ? page.data : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500, what: 'two logged attempts' },
      );
      const [retry, first] = attempts; // newest first
      expect(first).toMatchObject({
        event_id: id,
        event_type: 'session.completed',
        webhook_id: webhook.id,
        attempt: 1,
        status_code: 500,
        url: r.url,
      });
      expect(first!.error).toMatch(/500/);
      expect(first!.next_retry_at).not.toBeNull();
      expect(retry).toMatchObject({
        event_id: id,
        attempt: 2,
        status_code: 200,
        error: null,
        next_retry_at: null,
        state: 'delivered',
      });
      expect(retry!.duration_ms).toBeGreaterThanOrEqual(0);
      expect(retry!.id).toBe(first!.id);

      // Pages: one attempt each, following next_cursor.
      const page1 = await client.webhooks.deliveries(webhook.id, { event_id: id, limit: 1 });
      expect(page1.has_more).toBe(true);
      const page2 = await client.webhooks.deliveries(webhook.id, {
        event_id: id,
        limit: 1,
        cursor: page1.next_cursor!,
      });
      expect([page1.data[0]!.attempt, page2.data[0]!.attempt]).toEqual([2, 1]);
      r.respond = () => ({ status: 200 });
    });

    it('rotates the secret: deliveries carry both signatures during the grace period', async () => {
      const rotated = await client.webhooks.rotateSecret(webhook.id);
      expect(rotated.secret).toMatch(/^whsec_/);
      expect(rotated.secret).not.toBe(webhook.secret);
      expect(Date.parse(rotated.previous_secret_expires_at!)).toBeGreaterThan(Date.now());
      expect(await client.webhooks.get(webhook.id)).not.toHaveProperty('secret');

      const { id } = await eventually(
        async () => {
          const delivered = await deliverOne(r, 3);
          // A delivery signed before the rotation reached the dispatcher carries one signature only.
          return String(delivered.request.headers['webhook-signature']).split(' ').length === 2 ? delivered : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 0, what: 'a delivery signed with both secrets' },
      );
      const request = r.received.find((q) => q.headers['webhook-id'] === id)!;
      expect((await verifyWebhook<{ id: string }>(request.body, request.headers, rotated.secret)).id).toBe(id);
      expect((await verifyWebhook<{ id: string }>(request.body, request.headers, webhook.secret)).id).toBe(id);
    });
  });
});
