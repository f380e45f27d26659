import { ERROR_CODES } from '../../../core/errors/index.js';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { eventSchemas } from './json-schema.js';

type Json = Record<string, unknown>;

/** A part of the API's paths, contributed by one area (events, webhooks, replay, …). */
export type OpenApiPaths = Record<string, Json>;

/** Paths of several areas as one: two areas may answer the same path with different methods. */
export function mergePaths(parts: readonly OpenApiPaths[]): OpenApiPaths {
  const paths: OpenApiPaths = {};
  for (const part of parts) for (const [path, item] of Object.entries(part)) paths[path] = { ...paths[path], ...item };
  return paths;
}

const text = { type: 'string' };
const nullableText = { type: ['string', 'null'] };
const time = { type: 'string', format: 'date-time' };
const nullableTime = { type: ['string', 'null'], format: 'date-time' };
const count = { type: 'integer', minimum: 0 };

const webhookProperties = {
  id: { ...text, examples: ['wh_01K…'] },
  url: { ...text, examples: ['https://example.com/webhook'] },
  events: { type: 'array', items: text, examples: [['agent.created', 'session.*']] },
  description: nullableText,
  enabled: { type: 'boolean' },
  disabled_reason: {
    ...nullableText,
    description:
      'Why the platform disabled it (`gone`: the endpoint answered 410; `failing`: it failed for too long); null otherwise.',
  },
  created_at: time,
  updated_at: time,
};
const webhook = (extra: Json = {}) => ({
  type: 'object',
  additionalProperties: false,
  required: [...Object.keys(webhookProperties), ...Object.keys(extra)],
  properties: { ...webhookProperties, ...extra },
});
const secret = { ...text, description: 'The signing secret; shown only in this answer.', examples: ['whsec_…'] };

const replayProperties = {
  id: { ...text, examples: ['rpl_01K…'] },
  object: { type: 'string', const: 'replay' },
  status: { type: 'string', enum: ['pending', 'running', 'completed', 'failed', 'cancelled'] },
  since: time,
  until: time,
  types: { type: 'array', items: text },
  filters: { type: 'object', additionalProperties: text },
  webhook_url: text,
  webhook_id: nullableText,
  event_count: {
    type: ['integer', 'null'],
    minimum: 0,
    description: 'Events that will be delivered (matching, once per id); null while still being counted.',
  },
  total: { type: ['integer', 'null'], minimum: 0 },
  delivered: count,
  failed: count,
  scanned: { ...count, description: 'Records read so far, matching or not.' },
  partitions: {
    type: 'array',
    items: {
      type: 'object',
      additionalProperties: false,
      required: ['topic', 'partition', 'start_offset', 'end_offset', 'position'],
      properties: {
        topic: text,
        partition: count,
        start_offset: text,
        end_offset: text,
        position: text,
      },
    },
  },
  created_at: time,
  started_at: nullableTime,
  finished_at: nullableTime,
  estimated_seconds_remaining: { type: ['integer', 'null'], minimum: 0 },
  error: nullableText,
  cancel_requested: { type: 'boolean', description: 'In the answer of a cancel: the worker stops at the next event.' },
};

const deliveryProperties = {
  id: {
    ...text,
    description: 'The delivery (one event to one webhook): the same on every attempt.',
    examples: ['del_…'],
  },
  webhook_id: text,
  event_id: { ...text, description: 'Also the `webhook-id` header of every attempt.' },
  event_type: text,
  attempt: {
    type: 'integer',
    minimum: 0,
    description:
      '1 for the first attempt. A delivery dropped because its webhook was disabled or deleted gets a last row without a request: the attempts made so far, no status code, error `webhook disabled` or `webhook deleted`.',
  },
  attempted_at: time,
  url: text,
  status_code: {
    type: ['integer', 'null'],
    description: 'HTTP status; null when there was no answer (timeout, refused connection).',
  },
  duration_ms: count,
  error: { ...nullableText, description: 'e.g. `HTTP 500` or `timed out after 10000 ms`; null on success.' },
  next_retry_at: {
    ...nullableTime,
    description: 'When the next attempt is due; null when delivered or failed for good.',
  },
  state: {
    type: 'string',
    enum: ['delivered', 'retrying', 'failed'],
    description: '`failed` means failed for good: no attempt follows.',
  },
};

const object = (properties: Json, optional: string[] = []) => ({
  type: 'object',
  additionalProperties: false,
  required: Object.keys(properties).filter((name) => !optional.includes(name)),
  properties,
});

/** The schemas every route's answers refer to (`#/components/schemas/…`). */
function componentSchemas(catalog: EventCatalog): Record<string, Json> {
  return {
    ...eventSchemas(catalog),
    Error: {
      type: 'object',
      additionalProperties: false,
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          additionalProperties: false,
          required: ['code', 'message', 'details'],
          properties: {
            code: {
              type: 'string',
              enum: Object.keys(ERROR_CODES),
              description: 'A stable machine word (docs/api.md).',
            },
            message: text,
            details: {
              type: 'array',
              items: {
                type: 'object',
                additionalProperties: false,
                required: ['field', 'message'],
                properties: {
                  field: { ...text, description: 'The bad field, e.g. `events[3].data.session_id` or `limit`.' },
                  message: text,
                  index: { ...count, description: 'In a batch, the index of the bad event.' },
                },
              },
            },
          },
        },
      },
    },
    Webhook: webhook(),
    WebhookWithSecret: webhook({ secret }),
    RotatedWebhook: webhook({ secret, previous_secret_expires_at: nullableTime }),
    Replay: object(replayProperties, ['cancel_requested']),
    Delivery: object(deliveryProperties),
  };
}

/** The OpenAPI 3.1 document of the HTTP API: the routes' declarations, and event schemas from the Avro schemas. */
export function buildOpenApiDocument(catalog: EventCatalog, paths: OpenApiPaths): Json {
  return {
    openapi: '3.1.0',
    info: {
      title: 'ResonantGenesis Events API',
      version: '1.0.0',
      description:
        'Publish, query, stream, deliver and replay platform events. Every request carries `Authorization: Bearer <api key>`; errors answer `{"error": {"code", "message", "details"}}` (docs/api.md).',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths: {
      '/openapi.json': {
        get: {
          summary: 'This document',
          operationId: 'getOpenapiJson',
          security: [],
          responses: {
            200: {
              description: 'The OpenAPI 3.1 document',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
            431: { description: 'The URL and headers are larger than the server takes (16 KiB); no body' },
            500: {
              description: 'An unexpected failure; it is logged with the request id',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
            },
          },
        },
      },
      ...paths,
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key (RG_API_KEYS).' },
        accessToken: {
          type: 'apiKey',
          in: 'query',
          name: 'access_token',
          description: 'The API key in the query: only the live stream takes it (EventSource cannot set headers).',
        },
      },
      schemas: componentSchemas(catalog),
    },
  };
}
