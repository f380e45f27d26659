import { createParser } from 'eventsource-parser';
import type { ErrorDetail } from '../lib/field-errors.js';
import { ApiError, api, authHeaders, queryString, type Query } from './client.js';
import { connectivity, reportReachable, reportUnreachable } from './connectivity.js';
import { session, signOut } from './session.js';
import type { Page, PlatformEvent } from './types.js';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface StreamHandlers {
  /** The events of one read, in the order sent. */
  onEvents(events: PlatformEvent[]): void;
  onState(state: StreamState): void;
  /** The API refused the subscription (bad filters): the stream stops; details name the fields. */
  onRefused(error: ApiError): void;
}

/** Where to pick a stream up: the last frame's id, else (no frame yet) when it went live. */
export interface ResumePoint {
  lastEventId?: string | undefined;
  sinceMs?: number | undefined;
}

export interface LiveStream {
  /** Where this stream is: resuming from it loses nothing. */
  readonly resumePoint: ResumePoint;
  close(): void;
}

/** How long after a gap is filled from history it is filled again (the sink stores events within about a second). */
const REFILL_AFTER_MS = 3000;

/** Longest wait between two reconnection attempts, in ms. */
const MAX_BACKOFF_MS = 5000;

/** Waits `ms`, or less when the API is seen reachable again (no need to wait out the backoff then). */
function backoff(ms: number): Promise<void> {
  return new Promise((resolve) => {
    const wasOnline = connectivity.get().online;
    const done = () => {
      clearTimeout(timer);
      unsubscribe();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const unsubscribe = connectivity.subscribe((state) => {
      if (state.online && !wasOnline) done();
    });
  });
}

/**
 * The live stream (`GET /events/subscribe`) read with `fetch`, so the key travels in the
 * Authorization header and never in a URL. Each frame's id is kept; when the connection drops (the
 * API restarts, the network goes), it reconnects by itself with `Last-Event-ID`, so the events
 * published meanwhile arrive too, with no gap. A stream that has had no frame yet has no id to
 * resume from: its gap is filled from history (`GET /events` since it went live), twice, the second
 * time once the sink has stored what was published just before the reconnection. `from` resumes an
 * earlier stream.
 */
export function openStream(filters: Query, from: ResumePoint, handlers: StreamHandlers): LiveStream {
  let cursor = from.lastEventId;
  let quietSinceMs = from.sinceMs;
  let closed = false;
  let controller: AbortController | undefined;
  let retryMs = 1000;
  let failures = 0;

  const run = async () => {
    while (!closed) {
      const who = session.get();
      if (!who) return;
      controller = new AbortController();
      handlers.onState(failures ? 'reconnecting' : 'connecting');
      try {
        const response = await fetch(`/api/v1/events/subscribe${queryString(filters)}`, {
          headers: { ...authHeaders(who), accept: 'text/event-stream', ...(cursor ? { 'last-event-id': cursor } : {}) },
          signal: controller.signal,
          cache: 'no-store',
        });
        reportReachable();
        if (!response.ok) {
          const body = (await response.json().catch(() => undefined)) as
            | { error?: { code: string; message: string; details?: ErrorDetail[] } }
            | undefined;
          const error = new ApiError(
            response.status,
            body?.error?.code ?? 'http_error',
            body?.error?.message ?? `HTTP ${response.status}`,
            body?.error?.details ?? [],
          );
          if (response.status === 401) signOut('The API key was refused (wrong or revoked): sign in again.');
          if (response.status < 500 && response.status !== 429) {
            closed = true;
            handlers.onRefused(error);
            handlers.onState('stopped');
            return;
          }
          throw error;
        }
        handlers.onState('live');
        failures = 0;
        if (cursor === undefined) {
          if (quietSinceMs === undefined) quietSinceMs = Date.now();
          else void fillGap(quietSinceMs);
        }
        let batch: PlatformEvent[] = [];
        const parser = createParser({
          onEvent(message) {
            if (message.id) cursor = message.id;
            try {
              batch.push(JSON.parse(message.data) as PlatformEvent);
            } catch {
              // not an event frame
            }
          },
          onRetry(ms) {
            retryMs = ms;
          },
        });
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          parser.feed(value);
          if (batch.length) {
            const events = batch;
            batch = [];
            handlers.onEvents(events);
          }
        }
      } catch (error) {
        if (closed) return;
        if (!(error instanceof ApiError)) reportUnreachable();
      }
      if (closed) return;
      failures += 1;
      handlers.onState('reconnecting');
      await backoff(Math.min(MAX_BACKOFF_MS, retryMs * failures));
    }
  };
  const fillGap = async (sinceMs: number) => {
    const query: Query = {
      ...filters,
      events: undefined,
      types: filters.events ?? filters.types,
      order: 'asc',
      limit: 1000,
    };
    query.since = new Date(sinceMs - 1000).toISOString();
    for (const waitMs of [0, REFILL_AFTER_MS]) {
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      if (closed) return;
      try {
        const page = await api<Page<PlatformEvent>>('GET', '/events', { query });
        if (!closed && page.data.length) handlers.onEvents(page.data);
      } catch {
        // The next reconnection tries again.
      }
    }
  };
  void run();

  return {
    get resumePoint() {
      return cursor ? { lastEventId: cursor } : { sinceMs: quietSinceMs };
    },
    close() {
      closed = true;
      controller?.abort();
      handlers.onState('stopped');
    },
  };
}
