import { errorResponse, jsonBody, jsonResponse, type OpenApiPaths } from './document.js';

const webhook = {
  type: 'object',
  properties: {
    id: { type: 'string', example: 'wh_01K…' },
    url: { type: 'string', example: 'https://example.com/webhook' },
    events: { type: 'array', items: { type: 'string' }, example: ['agent.created', 'session.*'] },
    description: { type: 'string', nullable: true },
    enabled: { type: 'boolean' },
    disabled_reason: {
      type: 'string',
      nullable: true,
      description:
        'Why the platform disabled it (`gone`: the endpoint answered 410; `failing`: it failed for too long); null otherwise.',
    },
    created_at: { type: 'string', format: 'date-time' },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

const withSecret = {
  ...webhook,
  properties: {
    ...webhook.properties,
    secret: { type: 'string', description: 'The signing secret; shown only in this answer.', example: 'whsec_…' },
  },
};

const idParameter = [{ name: 'webhook_id', in: 'path', required: true, schema: { type: 'string' } }];
const secretSchema = {
  type: 'string',
  description:
    '`whsec_` + base64 of 24–64 bytes, or any other string of 24–256 characters (its UTF-8 bytes are the key). Generated (`whsec_` + 32 random bytes) when omitted.',
};

export const webhookPaths: OpenApiPaths = {
  '/webhooks': {
    post: {
      summary: 'Create a webhook subscription',
      description:
        'Events of the organization whose type matches one of `events` (exact types, `category.*`, or `*`) are POSTed to `url`, signed as Standard Webhooks. The URL must be https and must not point at a private, loopback or link-local address (unless the operator allows it).',
      requestBody: jsonBody({
        type: 'object',
        required: ['url', 'events'],
        properties: {
          url: { type: 'string' },
          events: { type: 'array', minItems: 1, items: { type: 'string' } },
          secret: secretSchema,
          description: { type: 'string', maxLength: 1000 },
        },
      }),
      responses: {
        201: jsonResponse('Created; the only answer that shows the secret', withSecret),
        400: errorResponse('Invalid URL, events or secret; unknown event type'),
        409: errorResponse('The organization has the most webhooks allowed'),
      },
    },
    get: {
      summary: "The organization's webhooks, newest first",
      responses: {
        200: jsonResponse('Webhooks', {
          type: 'object',
          properties: {
            data: { type: 'array', items: webhook },
            has_more: { type: 'boolean' },
            next_cursor: { type: 'string', nullable: true },
          },
        }),
      },
    },
  },
  '/webhooks/{webhook_id}': {
    get: {
      summary: 'One webhook',
      parameters: idParameter,
      responses: { 200: jsonResponse('The webhook', webhook), 404: errorResponse('No such webhook') },
    },
    patch: {
      summary: 'Update a webhook',
      description: 'Changes the fields given. Setting `enabled` clears `disabled_reason`.',
      parameters: idParameter,
      requestBody: jsonBody({
        type: 'object',
        properties: {
          url: { type: 'string' },
          events: { type: 'array', minItems: 1, items: { type: 'string' } },
          description: { type: 'string', nullable: true },
          enabled: { type: 'boolean' },
        },
      }),
      responses: {
        200: jsonResponse('The webhook', webhook),
        400: errorResponse('Invalid field'),
        404: errorResponse('No such webhook'),
      },
    },
    delete: {
      summary: 'Delete a webhook',
      parameters: idParameter,
      responses: { 204: { description: 'Deleted' }, 404: errorResponse('No such webhook') },
    },
  },
  '/webhooks/{webhook_id}/rotate-secret': {
    post: {
      summary: 'Rotate the signing secret',
      description:
        'A new secret signs every delivery from now on; the previous one keeps signing too (a second signature) until `previous_secret_expires_at` (RG_WEBHOOK_SECRET_GRACE, default 24 h). The body is optional: `{"secret": …}` chooses the new secret.',
      parameters: idParameter,
      requestBody: {
        required: false,
        content: { 'application/json': { schema: { type: 'object', properties: { secret: secretSchema } } } },
      },
      responses: {
        200: jsonResponse('The webhook with its new secret, shown only here', {
          ...withSecret,
          properties: {
            ...withSecret.properties,
            previous_secret_expires_at: { type: 'string', format: 'date-time', nullable: true },
          },
        }),
        400: errorResponse('Invalid secret'),
        404: errorResponse('No such webhook'),
      },
    },
  },
  '/webhooks/{webhook_id}/test': {
    post: {
      summary: 'Send a signed test delivery',
      description:
        'POSTs one signed `webhook.test` event (never published, not in history, not retried) to the URL and answers how the attempt went.',
      parameters: idParameter,
      responses: {
        200: jsonResponse('The attempt', {
          type: 'object',
          properties: {
            event_id: { type: 'string' },
            delivered: { type: 'boolean', description: 'True on a 2xx.' },
            status_code: { type: 'integer', nullable: true },
            duration_ms: { type: 'integer' },
            error: { type: 'string', nullable: true },
          },
        }),
        404: errorResponse('No such webhook'),
      },
    },
  },
};
