import { errorResponse, jsonResponse, type OpenApiPaths } from './document.js';

const delivery = {
  type: 'object',
  properties: {
    id: {
      type: 'string',
      description: 'The delivery (one event to one webhook): the same on every attempt.',
      example: 'del_…',
    },
    webhook_id: { type: 'string' },
    event_id: { type: 'string', description: 'Also the `webhook-id` header of every attempt.' },
    event_type: { type: 'string' },
    attempt: {
      type: 'integer',
      description:
        '1 for the first attempt. A delivery dropped because its webhook was disabled or deleted gets a last row without a request: the attempts made so far, no status code, error `webhook disabled` or `webhook deleted`.',
    },
    attempted_at: { type: 'string', format: 'date-time' },
    url: { type: 'string' },
    status_code: {
      type: 'integer',
      nullable: true,
      description: 'HTTP status; null when there was no answer (timeout, refused connection).',
    },
    duration_ms: { type: 'integer' },
    error: {
      type: 'string',
      nullable: true,
      description: 'e.g. `HTTP 500` or `timed out after 10000 ms`; null on success.',
    },
    next_retry_at: {
      type: 'string',
      format: 'date-time',
      nullable: true,
      description: 'When the next attempt is due; null when delivered or failed for good.',
    },
    state: {
      type: 'string',
      enum: ['delivered', 'retrying', 'failed'],
      description: '`failed` means failed for good: no attempt follows.',
    },
  },
};

export const deliveriesPaths: OpenApiPaths = {
  '/webhooks/{webhook_id}/deliveries': {
    get: {
      summary: "A webhook's delivery attempts, newest first",
      description:
        'Every attempt of every delivery to this webhook: time, status code, duration, error, attempt number and next retry. Attempts are logged in batches, so the newest can take about a second to show.',
      parameters: [
        { name: 'webhook_id', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 50 } },
        { name: 'event_id', in: 'query', schema: { type: 'string' }, description: 'Only the attempts of this event.' },
        { name: 'cursor', in: 'query', schema: { type: 'string' }, description: '`next_cursor` of the previous page.' },
      ],
      responses: {
        200: jsonResponse('A page of attempts', {
          type: 'object',
          properties: {
            data: { type: 'array', items: delivery },
            has_more: { type: 'boolean' },
            next_cursor: { type: 'string', nullable: true },
          },
        }),
        400: errorResponse('Invalid limit, event_id or cursor'),
        404: errorResponse('No such webhook in your organization'),
      },
    },
  },
};
