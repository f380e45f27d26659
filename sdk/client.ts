import { createTransport, type ClientOptions, type Query, type Transport } from './http.js';
import { subscribe, type SubscribeParams, type Subscription } from './subscribe.js';
import type {
  CreatedWebhook,
  CreateWebhookParams,
  Delivery,
  Event,
  ListDeliveriesParams,
  ListEventsParams,
  Page,
  PublishedEvent,
  PublishInput,
  Replay,
  ReplayParams,
  RotatedWebhook,
  RotateSecretParams,
  Timestamp,
  UpdateWebhookParams,
  Webhook,
  WebhookTestResult,
} from './types.js';

const iso = (value: Timestamp | undefined) => (value instanceof Date ? value.toISOString() : value);
const enc = encodeURIComponent;

function listQuery(params: ListEventsParams): Query {
  return { ...params, since: iso(params.since), until: iso(params.until) };
}

/** The events API: publish, history, live stream, replay. */
export function eventsResource(transport: Transport) {
  /**
   * One page of history (`GET /events`), newest first unless `order: 'asc'`; pass the answer's
   * `next_cursor` as `cursor` for the next page (with the same filters).
   * @throws InvalidRequestError (code `unknown_event_type` for a pattern that matches no type).
   */
  const list = (params: ListEventsParams = {}): Promise<Page<Event>> =>
    transport.request<Page<Event>>('GET', '/events', { query: listQuery(params) });
  return {
    list,
    /**
     * Every matching event across all pages, each page fetched as you iterate (`for await`). The
     * cursors are exact: events published while you iterate neither shift nor repeat a page.
     */
    async *listAll(params: Omit<ListEventsParams, 'cursor'> = {}): AsyncGenerator<Event> {
      let cursor: string | undefined;
      for (;;) {
        const page = await list({ ...params, ...(cursor ? { cursor } : {}) });
        yield* page.data;
        if (!page.has_more || !page.next_cursor) return;
        cursor = page.next_cursor;
      }
    },
    /** One event by id (`GET /events/{id}`). @throws NotFoundError when your organization has none. */
    get(id: string): Promise<Event> {
      return transport.request<Event>('GET', `/events/${enc(id)}`);
    },
    /**
     * Publishes one event or a batch (`POST /events`); resolves once they are durable in Kafka, with
     * their ids. Give each event an `id` to make retries safe: the SDK then retries a failed request
     * by itself, and the same id published twice is one event.
     * @throws InvalidRequestError naming each bad field (code `unknown_event_type`, `invalid_request`, …).
     */
    async publish(input: PublishInput | PublishInput[]): Promise<PublishedEvent[]> {
      const events = (Array.isArray(input) ? input : [input]).map((event) => ({
        ...event,
        ...(event.created_at ? { created_at: iso(event.created_at) } : {}),
      }));
      const idempotent = events.every((event) => typeof event.id === 'string');
      if (events.length === 1 && !Array.isArray(input)) {
        return [await transport.request<PublishedEvent>('POST', '/events', { body: events[0], idempotent })];
      }
      const answer = await transport.request<{ data: PublishedEvent[] }>('POST', '/events', {
        body: { events },
        idempotent,
      });
      return answer.data;
    },
    /**
     * The live stream (`GET /events/subscribe`, Server-Sent Events) as an async iterator: `for await
     * (const event of client.events.subscribe({ events: ['session.*'] }))`. It reconnects by itself
     * and resumes with `Last-Event-ID`, with no gap and no duplicate; `close()`, `break` or the
     * `signal` end it. A refused subscription (bad filters, bad key) throws a typed error.
     */
    subscribe(params: SubscribeParams = {}): Subscription {
      return subscribe(transport, params);
    },
    /**
     * Re-delivers a time range of past events, signed, to a webhook URL (`POST /events/replay`);
     * answers at once with `event_count` and the replay's `id` for `getReplayStatus`.
     */
    replay(params: ReplayParams): Promise<Replay> {
      return transport.request<Replay>('POST', '/events/replay', {
        body: { ...params, since: iso(params.since), until: iso(params.until) },
      });
    },
    /** A replay's progress (`GET /events/replay/{id}`): `status`, `delivered` and `failed` of `total`. */
    getReplayStatus(id: string): Promise<Replay> {
      return transport.request<Replay>('GET', `/events/replay/${enc(id)}`);
    },
    /** Asks a running replay to stop (`POST /events/replay/{id}/cancel`); it ends `cancelled`. */
    cancelReplay(id: string): Promise<Replay> {
      return transport.request<Replay>('POST', `/events/replay/${enc(id)}/cancel`, { idempotent: true });
    },
  };
}

/** The webhooks API: subscriptions (`/webhooks`) and their delivery logs. */
export function webhooksResource(transport: Transport) {
  return {
    /**
     * Subscribes a URL to event types (`POST /webhooks`). The answer holds the signing `secret`,
     * shown only now: store it to verify deliveries (`verifyWebhook`).
     * @throws InvalidRequestError naming each bad field (`url`, `events`, `secret`), with code
     *   `unknown_event_type` when a pattern matches no type.
     */
    create(params: CreateWebhookParams): Promise<CreatedWebhook> {
      return transport.request<CreatedWebhook>('POST', '/webhooks', { body: params });
    },
    /** The organization's webhooks, newest first (one page holds them all; never their secrets). */
    list(): Promise<Page<Webhook>> {
      return transport.request<Page<Webhook>>('GET', '/webhooks');
    },
    /** One webhook. @throws NotFoundError for an unknown id or another organization's webhook. */
    get(id: string): Promise<Webhook> {
      return transport.request<Webhook>('GET', `/webhooks/${enc(id)}`);
    },
    /** Changes `url`, `events`, `description` or `enabled`; fields not given are left as they are. */
    update(id: string, params: UpdateWebhookParams): Promise<Webhook> {
      return transport.request<Webhook>('PATCH', `/webhooks/${enc(id)}`, { body: params, idempotent: true });
    },
    /** Deletes the subscription; deliveries to it stop. @throws NotFoundError when there is none. */
    async delete(id: string): Promise<void> {
      await transport.request<unknown>('DELETE', `/webhooks/${enc(id)}`);
    },
    /**
     * A new signing secret (generated, or `params.secret`), shown in this answer only; the previous
     * one keeps signing until `previous_secret_expires_at`, so receivers can switch without a gap.
     */
    rotateSecret(id: string, params: RotateSecretParams = {}): Promise<RotatedWebhook> {
      return transport.request<RotatedWebhook>('POST', `/webhooks/${enc(id)}/rotate-secret`, { body: params });
    },
    /**
     * One page of delivery attempts, newest first (`GET /webhooks/{id}/deliveries`): status code,
     * duration, error, attempt number, next retry. Attempts are logged in batches, so the newest
     * can take about a second to appear.
     */
    deliveries(id: string, params: ListDeliveriesParams = {}): Promise<Page<Delivery>> {
      return transport.request<Page<Delivery>>('GET', `/webhooks/${enc(id)}/deliveries`, { query: { ...params } });
    },
    /** Sends one signed `webhook.test` event to the webhook's URL now and answers how it went. */
    test(id: string): Promise<WebhookTestResult> {
      return transport.request<WebhookTestResult>('POST', `/webhooks/${enc(id)}/test`);
    },
  };
}

export interface Client {
  events: ReturnType<typeof eventsResource>;
  webhooks: ReturnType<typeof webhooksResource>;
}

/**
 * A client of the events API: `client.events.list(...)`, `client.events.subscribe(...)`,
 * `client.webhooks.create(...)`, `client.events.replay(...)`, as in the events guide.
 */
export function createClient(options: ClientOptions): Client {
  const transport = createTransport(options);
  return { events: eventsResource(transport), webhooks: webhooksResource(transport) };
}
