import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ApiError, ConnectionError, errorFor } from './errors.js';
import type { Query, Transport } from './http.js';
import type { StreamedEvent } from './types.js';

export interface SubscribeParams {
  /** Type patterns: `session.*`, `session.completed`, `*`. Default: every type. */
  events?: string[];
  /** Only events of this session. */
  session_id?: string;
  /** Only events of this agent. */
  agent_id?: string;
  /** Only events of this team. */
  team_id?: string;
  /** Only events of this user (the data's `user_id`, else `metadata.user_id`). */
  user_id?: string;
  /** Resume after this cursor (the `id:` of the last frame received). */
  lastEventId?: string;
  /** Stops the subscription. */
  signal?: AbortSignal;
  /** Longest wait between reconnection attempts, in ms. Default 30,000. */
  maxReconnectDelayMs?: number;
  /**
   * Attempts before the first connection succeeds; past them the iteration ends with the last
   * error (a `ConnectionError` when the API cannot be reached). Default: unlimited, as EventSource.
   * Once connected, a dropped stream is always reconnected.
   */
  maxInitialAttempts?: number;
}

/** A live subscription: iterate it with `for await`; it reconnects and resumes by itself. */
export interface Subscription extends AsyncIterable<StreamedEvent> {
  /** The cursor of the last event received (pass it as `lastEventId` to resume later). */
  readonly lastEventId: string | undefined;
  /** Ends the subscription. */
  close(): void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * Server-Sent Events over `fetch` (Node 20 and browsers alike). On a dropped connection it
 * reconnects with `Last-Event-ID`, so the server resumes with no gap and no duplicate; a 4xx
 * answer (bad filters, bad key) ends the iteration with a typed error.
 */
export function subscribe(transport: Transport, params: SubscribeParams = {}): Subscription {
  const controller = new AbortController();
  params.signal?.addEventListener('abort', () => controller.abort(), { once: true });
  const signal = controller.signal;
  let lastEventId = params.lastEventId;
  const maxDelay = params.maxReconnectDelayMs ?? 30_000;
  const query: Query = {
    events: params.events,
    session_id: params.session_id,
    agent_id: params.agent_id,
    team_id: params.team_id,
    user_id: params.user_id,
  };

  async function* frames(): AsyncGenerator<StreamedEvent> {
    try {
      yield* connectLoop();
    } finally {
      // `break` out of `for await`, an error or close(): the open request is cancelled either way.
      controller.abort();
    }
  }

  async function* connectLoop(): AsyncGenerator<StreamedEvent> {
    let retryMs = 1000;
    let failures = 0;
    let connected = false;
    while (!signal.aborted) {
      try {
        const response = await transport.stream(
          '/events/subscribe',
          query,
          lastEventId ? { 'last-event-id': lastEventId } : {},
          signal,
        );
        if (!response.ok || !response.body) {
          const body = (await response.json().catch(() => undefined)) as { error?: never } | undefined;
          const error = errorFor(response.status, body?.error, response.headers.get('x-request-id') ?? undefined);
          if (response.status !== 429 && response.status < 500) throw error;
          throw Object.assign(error, { retriable: true });
        }
        failures = 0;
        connected = true;
        const ready: EventSourceMessage[] = [];
        // `onId` also sees `id:`-only frames: the stream's position before its first event.
        const parser = createParser({
          onEvent: (message) => ready.push(message),
          onId: (id) => {
            lastEventId = id;
          },
          onRetry: (ms) => {
            retryMs = ms;
          },
        });
        const decoder = new TextDecoder();
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          parser.feed(decoder.decode(chunk, { stream: true }));
          while (ready.length) {
            const message = ready.shift()!;
            // Any frame's id is a resume point, even one whose data this SDK does not understand.
            if (message.id) lastEventId = message.id;
            const event = parseEvent(message);
            if (event) yield event;
          }
        }
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ApiError && !(error as ApiError & { retriable?: boolean }).retriable) throw error;
        failures += 1;
        if (!connected && params.maxInitialAttempts !== undefined && failures >= params.maxInitialAttempts) {
          throw error instanceof ApiError
            ? error
            : new ConnectionError(`GET /events/subscribe failed: ${(error as Error).message}`, { cause: error });
        }
      }
      if (signal.aborted) return;
      // The server's `retry:` hint, then exponential backoff while it keeps failing.
      await sleep(Math.min(maxDelay, retryMs * 2 ** Math.max(0, failures - 1)), signal);
    }
  }

  const iterator = frames();
  return {
    get lastEventId() {
      return lastEventId;
    },
    close: () => controller.abort(),
    [Symbol.asyncIterator]: () => iterator,
  };
}

function parseEvent(message: EventSourceMessage): StreamedEvent | undefined {
  try {
    const value = JSON.parse(message.data) as StreamedEvent;
    return value && typeof value === 'object' && typeof value.type === 'string' && typeof value.id === 'string'
      ? value
      : undefined;
  } catch {
    return undefined;
  }
}
