import { errorResponse, jsonResponse, type OpenApiPaths } from './document.js';

const time = { type: 'string', format: 'date-time', nullable: true };
const count = { type: 'integer' };

const eventType = {
  type: 'object',
  properties: {
    type: { type: 'string', example: 'session.completed' },
    category: { type: 'string', example: 'session' },
    description: { type: 'string' },
    resource_key: {
      type: 'string',
      description: 'The `data` field that keys the Kafka record.',
      example: 'session_id',
    },
    fields: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          name: { type: 'string', description: 'Dotted path in `data`; `*` is any key of a map.', example: 'steps' },
          type: { type: 'string', example: 'integer (int32)' },
          required: { type: 'boolean' },
          nullable: { type: 'boolean' },
          description: { type: 'string' },
          values: { type: 'array', items: { type: 'string' }, description: 'The values of an enum.' },
        },
      },
    },
    example: { type: 'object', nullable: true, description: 'An example `data`.' },
  },
};

export const consolePaths: OpenApiPaths = {
  '/whoami': {
    get: {
      summary: 'What the API key may do',
      description:
        'An ordinary key: its organization. An admin key: `admin: true` and the organizations the configured keys name (it may act for any by naming it in `RG-Organization-Id`).',
      responses: {
        200: jsonResponse('The caller', {
          type: 'object',
          properties: {
            admin: { type: 'boolean' },
            organization_id: { type: 'string', nullable: true },
            organizations: { type: 'array', items: { type: 'string' } },
          },
        }),
        401: errorResponse('No key, or an unknown one'),
      },
    },
  },
  '/event-types': {
    get: {
      summary: 'The event catalogue: every type with its fields, their types and an example',
      responses: {
        200: jsonResponse('Event types', { type: 'object', properties: { data: { type: 'array', items: eventType } } }),
      },
    },
  },
  '/overview': {
    get: {
      summary: "The organization's event totals, webhook delivery health and the history sink's lag",
      description:
        "Events stored in the last hour and day (history rows: a retried publish may count twice until merged); delivery attempts of the last 24 h with the success rate and the webhooks whose latest attempt failed; the sink's lag (records of every organization not yet stored, null when Kafka does not answer) and the newest event of the organization in history.",
      responses: {
        200: jsonResponse('The overview', {
          type: 'object',
          properties: {
            events: { type: 'object', properties: { last_hour: count, last_day: count } },
            deliveries: {
              type: 'object',
              properties: {
                since: { type: 'string', format: 'date-time' },
                attempts: count,
                delivered: count,
                retrying: count,
                failed: count,
                success_rate: { type: 'number', nullable: true, description: 'delivered / attempts, null without any' },
                failing_webhooks: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: {
                      webhook_id: { type: 'string' },
                      url: { type: 'string' },
                      description: { type: 'string', nullable: true },
                      enabled: { type: 'boolean', nullable: true, description: 'null when the webhook was deleted' },
                      attempts: count,
                      failed_attempts: count,
                      last_state: { type: 'string', enum: ['retrying', 'failed'] },
                      last_error: { type: 'string', nullable: true },
                      last_status_code: { type: 'integer', nullable: true },
                      last_attempt_at: time,
                      next_retry_at: time,
                    },
                  },
                },
              },
            },
            sink: {
              type: 'object',
              properties: {
                lag: { type: 'integer', nullable: true },
                newest_event_at: time,
                newest_stored_at: time,
                freshness_seconds: { type: 'integer', nullable: true },
              },
            },
          },
        }),
        400: errorResponse('An unknown parameter'),
        503: errorResponse('ClickHouse is unreachable'),
      },
    },
  },
};
