import { Type } from '@sinclair/typebox';
import { ForbiddenError, PlatformError, ValidationError, type ErrorDetail } from '../../../core/errors/index.js';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { validateEvent } from '../../../core/events/validate.js';
import type { EventProducer, ValidatedEvent } from '../../../core/producer/producer.js';
import { callerOf } from '../http/auth.js';
import { defineRoute, type Route } from '../http/route.js';
import { ref } from '../http/schemas.js';

export interface PublishRoutesOptions {
  catalog: EventCatalog;
  producer: EventProducer;
  /** Most events in one batch. */
  maxBatchEvents: number;
  /** How far in the future `created_at` may be, in ms. Default 5 min. */
  maxFutureMs?: number;
}

const accepted = Type.Object({
  id: Type.String(),
  type: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
});

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
}: PublishRoutesOptions): Route[] {
  const publish = defineRoute({
    method: 'post',
    path: '/events',
    summary: 'Publish one event, or a batch as {"events": [...]}',
    description:
      'Answers 202 once Kafka has acknowledged every event. A batch is all or nothing: if any event is invalid, none is published and `details` names each bad event by `index` and `field`. `id` and `created_at` are assigned when absent; publishing the same `id` again yields one event everywhere. With an admin key, each event names its organization in `metadata.organization_id`.',
    access: 'key',
    body: Type.Union([
      ref('EventInput'),
      Type.Object(
        {
          events: Type.Array(ref('EventInput'), {
            minItems: 1,
            description: `At most RG_API_MAX_BATCH events (here ${maxBatchEvents}); more answer 413.`,
          }),
        },
        { additionalProperties: false },
      ),
    ]),
    bodyValidatedByHandler: true,
    responses: {
      202: {
        description: 'Durable in Kafka: the event, or each event of the batch in the order sent',
        schema: Type.Union([accepted, Type.Object({ data: Type.Array(accepted) })]),
      },
      403: 'An event names another organization than the API key’s',
      413: 'The body is larger than RG_API_MAX_BODY_BYTES, or the batch holds more than RG_API_MAX_BATCH events',
      503: 'Kafka did not acknowledge in time; publish again with the same ids',
    },
    async handler(_input, req, res) {
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
          throw new ValidationError('The batch is empty', [
            { field: 'events', message: 'must hold at least one event' },
          ]);
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
          forbidden ||= result.forbidden;
        }
      });
      if (details.length) {
        const what = isBatch
          ? `${new Set(details.map((d) => d.index)).size} of ${inputs.length} events are invalid; none was published`
          : 'The event is invalid';
        if (forbidden)
          throw new ForbiddenError(`${what}: an event names another organization than the API key's`, details);
        throw new ValidationError(what, details);
      }

      await producer.send(validated);
      const ids = validated.map(({ event }) => ({ id: event.id, type: event.type, created_at: event.created_at }));
      res.status(202).json(isBatch ? { data: ids } : ids[0]);
    },
  });
  return [publish];
}
