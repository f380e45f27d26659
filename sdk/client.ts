import { createTransport, type ClientOptions, type Query, type Transport } from './http.js';
import { subscribe, type SubscribeParams, type Subscription } from './subscribe.js';
import type {
  CreateWebhookParams, Delivery, Event, ListEventsParams, Page, PublishedEvent, PublishInput, Replay, ReplayParams, Timestamp, UpdateWebhookParams, Webhook,
} from './types.js';

const iso = (value: Timestamp | undefined) => (value instanceof Date ? value.toISOString() : value);
const enc = encodeURIComponent;

function listQuery(params: ListEventsParams): Query {
  return { ...params, since: iso(params.since), until: iso(params.until) };
}

/** The events API: publish, history, live stream, replay. */
export function eventsResource(transport: Transport) {
  return {
    /** One page of history (`GET /events`). */
    list(params: ListEventsParams = {}): Promise<Page<Event>> {
      return transport.request<Page<Event>>('GET', '/events', { query: listQuery(params) });
    },
    /** Every matching event across all pages, fetched page by page as you iterate. */
    async *listAll(params: Omit<ListEventsParams, 'cursor'> = {}): AsyncGenerator<Event> {
      let cursor: string | undefined;
      for (;;) {
        const page = await this.list({ ...params, ...(cursor ? { cursor } : {}) });
        yield* page.data;
        if (!page.has_more || !page.next_cursor) return;
        cursor = page.next_cursor;
      }
    },
    /** One event by id. */
    get(id: string): Promise<Event> {
      return transport.request<Event>('GET', `/events/${enc(id)}`);
    },
    /**
     * Publishes one event or a batch; resolves once they are durable. Give each event an `id` to
     * make retries safe: the SDK then retries a failed request by itself.
     */
    async publish(input: PublishInput | PublishInput[]): Promise<PublishedEvent[]> {
      const events = (Array.isArray(input) ? input : [input]).map((event) => ({ ...event, ...(event.created_at ? { created_at: iso(event.created_at) } : {}) }));
      const idempotent = events.every((event) => typeof event.id === 'string');
      if (events.length === 1 && !Array.isArray(input)) {
        return [await transport.request<PublishedEvent>('POST', '/events', { body: events[0], idempotent })];
      }
      const answer = await transport.request<{ data: PublishedEvent[] }>('POST', '/events', { body: { events }, idempotent });
      return answer.data;
    },
    /** The live stream (Server-Sent Events) as an async iterator that resumes after disconnects. */
    subscribe(params: SubscribeParams = {}): Subscription {
      return subscribe(transport, params);
    },
    /** Re-delivers a time range of past events to a webhook URL (`POST /events/replay`). */
    replay(params: ReplayParams): Promise<Replay> {
      return transport.request<Replay>('POST', '/events/replay', { body: { ...params, since: iso(params.since), until: iso(params.until) } });
    },
    /** A replay's progress: `delivered` of `total`, `status`. */
    getReplayStatus(id: string): Promise<Replay> {
      return transport.request<Replay>('GET', `/events/replay/${enc(id)}`);
    },
    /** Stops a running replay. */
    cancelReplay(id: string): Promise<Replay> {
      return transport.request<Replay>('POST', `/events/replay/${enc(id)}/cancel`, { idempotent: true });
    },
  };
}

/** The webhooks API: subscriptions and their delivery logs. */
export function webhooksResource(transport: Transport) {
  return {
    /** Creates a subscription; the answer holds the secret, shown only now. */
    create(params: CreateWebhookParams): Promise<Webhook> {
      return transport.request<Webhook>('POST', '/webhooks', { body: params });
    },
    list(): Promise<Page<Webhook>> {
      return transport.request<Page<Webhook>>('GET', '/webhooks');
    },
    get(id: string): Promise<Webhook> {
      return transport.request<Webhook>('GET', `/webhooks/${enc(id)}`);
    },
    update(id: string, params: UpdateWebhookParams): Promise<Webhook> {
      return transport.request<Webhook>('PATCH', `/webhooks/${enc(id)}`, { body: params, idempotent: true });
    },
    async delete(id: string): Promise<void> {
      await transport.request<unknown>('DELETE', `/webhooks/${enc(id)}`);
    },
    /** A new secret; the old one keeps signing for the grace period. */
    rotateSecret(id: string): Promise<Webhook> {
      return transport.request<Webhook>('POST', `/webhooks/${enc(id)}/rotate-secret`);
    },
    /** Delivery attempts, newest first. */
    deliveries(id: string, params: { limit?: number; cursor?: string } = {}): Promise<Page<Delivery>> {
      return transport.request<Page<Delivery>>('GET', `/webhooks/${enc(id)}/deliveries`, { query: params });
    },
    /** Sends a signed sample event to the endpoint. */
    test(id: string): Promise<unknown> {
      return transport.request<unknown>('POST', `/webhooks/${enc(id)}/test`);
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
