import { Type } from '@sinclair/typebox';
import type { ErrorRequestHandler, Request, Response, Router } from 'express';
import { Session } from 'better-sse';
import type { Kafka } from 'kafkajs';
import type { ApiKey, StreamConfig } from '../../core/config/index.js';
import type { EventCodec } from '../../core/events/codec.js';
import type { EventCatalog } from '../../core/events/catalog.js';
import { topicForCategory } from '../../core/events/categories.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { PlatformError, UnavailableError, errorMessage } from '../../core/errors/index.js';
import type { Logger } from '../../core/log/logger.js';
import { EVENT_HEADERS } from '../../core/producer/producer.js';
import { authenticate, callerOf, organizationOf } from '../api/http/auth.js';
import { defineRoute, routerOf, type Route } from '../api/http/route.js';
import { fetchLogOffsets, positionKey, type LogOffsets } from '../../core/kafka/scan-ranges.js';
import { readCatchUp, type CatchUpRange } from './catch-up.js';
import { StreamConnection } from './connection.js';
import { LeanNodeConnection } from './lean-connection.js';
import { categoryMask, maxPositions, type StreamPositions } from './cursor.js';
import type { StreamHub } from './hub.js';
import type { StreamMetrics } from './metrics.js';
import { streamHeadersSchema, streamQuerySchema, streamRequestOf, type StreamRequest } from './request.js';
import { createSemaphore } from './semaphore.js';

export interface StreamRouteOptions {
  config: StreamConfig;
  keys: readonly ApiKey[];
  kafka: Kafka;
  codec: EventCodec;
  catalog: EventCatalog;
  hub: StreamHub;
  logger: Logger;
  metrics: StreamMetrics;
}

/** The stream's open connections, for the cap per key and for shutdown. */
export interface StreamRegistry {
  readonly connections: Set<StreamConnection>;
  stopping: boolean;
}

const FRAME_SAFE = (text: string) => text;

/**
 * `GET /events/subscribe`: authenticates itself (Bearer header or `access_token` query), refuses
 * bad filters and cursors with a 400 before the stream opens, caps connections per key, then
 * streams: a resume first reads the missed events from Kafka while the live feed is held for it.
 */
export function streamRoute(
  options: StreamRouteOptions,
  registry: StreamRegistry,
): { routes: Route[]; router: Router } {
  const { config, kafka, codec, catalog, hub, logger, metrics } = options;
  const perKey = new Map<string, number>();
  const catchUpSlots = createSemaphore(config.maxConcurrentCatchUps);

  async function catchUp(
    connection: StreamConnection,
    from: StreamPositions,
    feedStart: StreamPositions,
    signal: AbortSignal,
  ): Promise<void> {
    const progress: StreamPositions = new Map();
    const ranges: CatchUpRange[] = [];
    for (const category of connection.filter.categories) {
      const ends = feedStart.get(category) ?? [];
      const offsets = ends.map((end, partition) => from.get(category)?.[partition] ?? end);
      progress.set(category, offsets);
      offsets.forEach((start, partition) => {
        ranges.push({ category, partition, from: start, to: ends[partition]! });
      });
    }
    const release = await catchUpSlots.acquire(signal);
    if (!release) return;
    try {
      // One read of the log offsets serves both the clamp below and the retention check of the scan.
      const logOffsets = await fetchLogOffsets(kafka, [
        ...new Set(ranges.map((range) => topicForCategory(range.category))),
      ]);
      clampToLogEnds(ranges, progress, logOffsets);
      const { truncated } = await readCatchUp({
        kafka,
        ranges,
        signal,
        logOffsets,
        onTruncated: () =>
          connection.comment('the cursor is older than Kafka retention: resuming from the earliest event still kept'),
        onRecord: async (category, partition, message) => {
          progress.get(category)![partition] = Number(message.offset) + 1;
          let event: PlatformEvent;
          try {
            // Routed on headers, as the live feed is: only the caller's organization and types are decoded.
            const organization = message.headers?.[EVENT_HEADERS.organization]?.toString();
            const type = message.headers?.[EVENT_HEADERS.type]?.toString();
            if (!message.value || (organization !== undefined && organization !== connection.organizationId)) return;
            if (type !== undefined && !connection.filter.matches(type)) return;
            event = await codec.decode(message.value);
          } catch (error) {
            logger.error('undecodable record skipped in a stream catch-up', {
              category,
              partition,
              offset: message.offset,
              error: errorMessage(error),
            });
            return;
          }
          if (hub.matcher.matches(connection, event))
            await connection.sendCatchUp(event.id, event.type, JSON.stringify(event), progress);
        },
      });
      if (signal.aborted) return;
      metrics.catchUps.labels(truncated ? 'truncated' : 'complete').inc();
      // Everything below the feed's start has been read (or was past retention): go live from there.
      connection.goLive(maxPositions(progress, feedStart), hub.positions());
    } finally {
      release();
    }
  }

  /**
   * A cursor can only be beyond a partition's end if the topic was recreated (or the cursor
   * forged): resume such partitions from their end, or the stream would wait for offsets that
   * may never come.
   */
  function clampToLogEnds(ranges: CatchUpRange[], progress: StreamPositions, logOffsets: LogOffsets): void {
    for (const range of ranges) {
      const end = logOffsets.get(positionKey(topicForCategory(range.category), range.partition))?.high;
      if (end === undefined || range.from <= Number(end)) continue;
      range.from = Math.min(Number(end), range.to);
      progress.get(range.category)![range.partition] = range.from;
    }
  }

  function open(req: Request, res: Response, parse: () => StreamRequest): void {
    const organizationId = organizationOf(req);
    const { keyId } = callerOf(req);
    let request: StreamRequest;
    try {
      request = parse();
      if (registry.stopping || !hub.ready)
        throw new UnavailableError('The live stream is not available right now; retry shortly');
      if ((perKey.get(keyId) ?? 0) >= config.maxConnectionsPerKey) {
        throw new PlatformError(
          'rate_limited',
          `This API key already holds ${config.maxConnectionsPerKey} open streams, the most allowed`,
          {
            retryAfterSeconds: Math.max(1, Math.ceil(config.retryHintMs / 1000)),
            details: [
              { field: 'access_token', message: `at most ${config.maxConnectionsPerKey} open streams per API key` },
            ],
          },
        );
      }
    } catch (error) {
      countRejected(error);
      throw error;
    }
    perKey.set(keyId, (perKey.get(keyId) ?? 0) + 1);
    metrics.connections.inc();

    const session = new Session(new LeanNodeConnection(req, res), {
      retry: config.retryHintMs,
      keepAlive: config.heartbeatMs,
      trustClientEventId: false,
      // Frames are written from JSON.stringify output and our own cursors: no newline to escape.
      serializer: FRAME_SAFE as (data: unknown) => string,
      sanitizer: FRAME_SAFE,
    });
    // Only a resume needs to be stopped midway (an idle fresh stream keeps no controller).
    const aborted = request.resumeFrom ? new AbortController() : undefined;
    const connection: StreamConnection = new StreamConnection({
      organizationId,
      filter: request.filter,
      resources: request.resources,
      mask: categoryMask(request.filter.categories),
      session,
      response: res,
      maxBufferedBytes: config.maxBufferedBytes,
      dedupWindowMs: config.dedupWindowMs,
      dedupMaxIds: config.dedupMaxIds,
      metrics,
      onClose: () => {
        aborted?.abort();
        hub.detach(connection);
        registry.connections.delete(connection);
        const left = (perKey.get(keyId) ?? 1) - 1;
        if (left > 0) perKey.set(keyId, left);
        else perKey.delete(keyId);
        metrics.connections.dec();
      },
    });
    registry.connections.add(connection);
    res.once('close', () => connection.close());

    session.once('connected', () => {
      if (connection.closed) return;
      const feedStart = hub.attach(connection);
      if (!request.resumeFrom || !aborted) {
        connection.announce(feedStart);
        connection.goLive(undefined, feedStart);
        return;
      }
      catchUp(connection, request.resumeFrom, feedStart, aborted.signal).catch((error) => {
        metrics.catchUps.labels('failed').inc();
        logger.warn('stream catch-up failed; the client will reconnect', { error: errorMessage(error) });
        connection.end(config.retryHintMs);
      });
    });
  }

  const countRejected = (error: unknown) =>
    metrics.rejected.labels(error instanceof PlatformError ? error.code : 'internal_error').inc();

  const subscribe = defineRoute({
    method: 'get',
    path: '/events/subscribe',
    summary: 'Live stream of events (Server-Sent Events)',
    description: [
      "A `text/event-stream` of the organization's events as they are published. Each frame has `id:` (a resume cursor),",
      '`event:` (the type) and `data:` (the event JSON, as `GET /events/{event_id}` answers it). Comment lines are heartbeats;',
      'a `retry:` line suggests the reconnection delay. Reconnect with `Last-Event-ID` (or `last_event_id`) set to the last `id:`',
      'received to get every missed event once, in order per resource, as long as Kafka still keeps it (see docs/stream.md).',
      'EventSource clients, which cannot set headers, may send the key as `access_token`.',
    ].join(' '),
    security: [{ bearer: [] }, { accessToken: [] }],
    before: [authenticate(options.keys, { allowQueryToken: true })],
    query: streamQuerySchema(catalog),
    headers: streamHeadersSchema,
    responses: {
      200: {
        description: 'The stream: frames until the client leaves (or the server stops, with a retry: hint)',
        contentType: 'text/event-stream',
        schema: Type.String(),
      },
      429: 'This API key holds RG_STREAM_MAX_CONNECTIONS_PER_KEY open streams already (rate_limited)',
      503: 'The stream is starting or stopping; retry shortly',
    },
    handler: ({ query, headers }, req, res) => open(req, res, () => streamRequestOf(query, headers, catalog)),
  });

  const router = routerOf([subscribe]);
  // Requests refused by their declaration count as rejected too, once the key is known.
  const rejected: ErrorRequestHandler = (error, req, _res, next) => {
    if (req.caller) countRejected(error);
    next(error);
  };
  router.use('/events/subscribe', rejected);
  return { routes: [subscribe], router };
}
