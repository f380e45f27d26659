import { createParser } from 'eventsource-parser';
import type { ErrorDetail } from '../lib/field-errors.js';
import { ApiError, authHeaders, queryString, type Query } from './client.js';
import { reportReachable, reportUnreachable } from './connectivity.js';
import { session, signOut } from './session.js';
import type { PlatformEvent } from './types.js';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface StreamHandlers {
  /** The events of one read, in the order sent. */
  onEvents(events: PlatformEvent[]): void;
  onState(state: StreamState): void;
  /** The API refused the subscription (bad filters): the stream stops; details name the fields. */
  onRefused(error: ApiError): void;
}

export interface LiveStream {
  /** The cursor of the last frame received: resuming from it loses nothing and repeats nothing. */
  readonly lastEventId: string | undefined;
  close(): void;
}

/** Longest wait between two reconnection attempts, in ms. */
const MAX_BACKOFF_MS = 5000;

/**
 * The live stream (`GET /events/subscribe`) read with `fetch`, so the key travels in the
 * Authorization header and never in a URL. Each frame's id is kept; when the connection drops (the
 * API restarts, the network goes), it reconnects by itself with `Last-Event-ID`, so the events
 * published meanwhile arrive too, with no gap. Starting from `lastEventId` resumes an earlier stream.
 */
export function openStream(filters: Query, lastEventId: string | undefined, handlers: StreamHandlers): LiveStream {
  let cursor = lastEventId;
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
      await new Promise((resolve) => setTimeout(resolve, Math.min(MAX_BACKOFF_MS, retryMs * failures)));
    }
  };
  void run();

  return {
    get lastEventId() {
      return cursor;
    },
    close() {
      closed = true;
      controller?.abort();
      handlers.onState('stopped');
    },
  };
}
