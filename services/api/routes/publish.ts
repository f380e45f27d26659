import { Router, type Request } from 'express';
import { ForbiddenError, PlatformError, ValidationError, type ErrorDetail } from '../../../core/errors/index.js';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { validateEvent } from '../../../core/events/validate.js';
import type { EventProducer, ValidatedEvent } from '../../../core/producer/producer.js';
import { callerOf } from '../http/auth.js';
import { requireJson } from '../http/content-type.js';

export interface PublishRoutesOptions {
  catalog: EventCatalog;
  producer: EventProducer;
  /** Most events in one batch. */
  maxBatchEvents: number;
  /** How far in the future `created_at` may be, in ms. Default 5 min. */
  maxFutureMs?: number;
}

/**
 * `POST /events`: one event, or `{"events": [...]}`. A batch is all or nothing: when any event is
 * invalid, none is written, and the answer names every bad event by index and field. 202 comes
 * only after Kafka has acknowledged every event (acks=all).
 */
export function publishRoutes({
  catalog,
  producer,
  maxBatchEvents,
  maxFutureMs = 300_000,
}: PublishRoutesOptions): Router {
  const router = Router();

  router.post('/events', requireJson, async (req: Request, res) => {
    const caller = callerOf(req);
    const body: unknown = req.body;
    const isBatch = typeof body === 'object' && body !== null && !Array.isArray(body) && 'events' in body;
    const inputs: unknown[] = isBatch ? ((body as { events: unknown }).events as unknown[]) : [body];

    if (isBatch) {
      if (!Array.isArray(inputs))
        throw new ValidationError('`events` must be an array of events', [
          { field: 'events', message: 'must be an array' },
        ]);
      const extra = Object.keys(body as object).filter((key) => key !== 'events');
      if (extra.length)
        throw new ValidationError(
          'A batch holds only `events`',
          extra.map((field) => ({ field, message: 'is not a batch field' })),
        );
      if (inputs.length === 0)
        throw new ValidationError('The batch is empty', [{ field: 'events', message: 'must hold at least one event' }]);
      if (inputs.length > maxBatchEvents) {
        throw new PlatformError(
          'payload_too_large',
          `The batch holds ${inputs.length} events; the limit is ${maxBatchEvents}`,
          { details: [{ field: 'events', message: `must hold at most ${maxBatchEvents} events` }] },
        );
      }
    }

    const nowMs = Date.now();
    const validated: ValidatedEvent[] = [];
    const details: ErrorDetail[] = [];
    let unknownType = false;
    let forbidden = false;
    inputs.forEach((input, index) => {
      const result = validateEvent(input, {
        catalog,
        organizationId: caller.organizationId,
        nowMs,
        maxFutureMs,
        ...(isBatch ? { index, fieldPrefix: `events[${index}].` } : {}),
      });
      if (result.ok) validated.push({ event: result.event, entry: result.entry, idAssigned: result.idAssigned });
      else {
        details.push(...result.errors);
        unknownType ||= result.unknownType;
        forbidden ||= result.forbidden;
      }
    });
    if (details.length) {
      const what = isBatch
        ? `${new Set(details.map((d) => d.index)).size} of ${inputs.length} events are invalid; none was published`
        : 'The event is invalid';
      if (forbidden)
        throw new ForbiddenError(`${what}: an event names another organization than the API key's`, details);
      throw new ValidationError(what, details, unknownType ? 'unknown_event_type' : 'invalid_request');
    }

    await producer.send(validated);
    const ids = validated.map(({ event }) => ({ id: event.id, type: event.type, created_at: event.created_at }));
    res.status(202).json(isBatch ? { data: ids } : ids[0]);
  });

  return router;
}
