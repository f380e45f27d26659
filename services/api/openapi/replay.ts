import { errorResponse, jsonBody, jsonResponse, type OpenApiPaths } from './document.js';

const replay = {
  type: 'object',
  properties: {
    id: { type: 'string', example: 'rpl_01K…' },
    status: { type: 'string', enum: ['pending', 'running', 'completed', 'failed', 'cancelled'] },
    event_count: {
      type: 'integer',
      nullable: true,
      description: 'Events that will be delivered (matching, once per id); null while still being counted.',
    },
    total: { type: 'integer', nullable: true },
    delivered: { type: 'integer' },
    failed: { type: 'integer' },
    scanned: { type: 'integer', description: 'Records read so far, matching or not.' },
    partitions: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          topic: { type: 'string' },
          partition: { type: 'integer' },
          start_offset: { type: 'string' },
          end_offset: { type: 'string' },
          position: { type: 'string' },
        },
      },
    },
    webhook_url: { type: 'string' },
    webhook_id: { type: 'string', nullable: true },
    created_at: { type: 'string', format: 'date-time' },
    started_at: { type: 'string', format: 'date-time', nullable: true },
    finished_at: { type: 'string', format: 'date-time', nullable: true },
    estimated_seconds_remaining: { type: 'integer', nullable: true },
    error: { type: 'string', nullable: true },
  },
};

export const replayPaths: OpenApiPaths = {
  '/events/replay': {
    post: {
      summary: 'Replay a time range of past events to a webhook URL',
      description:
        "Reads the category topics from the offsets of `since` to those of `until` and delivers the matching events (once per id, in order per resource) with the webhook signature headers and `rg-replay-id`. The signing secret is the webhook's own when `webhook_id` or `webhook_url` names one of your webhooks, else the `secret` given.",
      requestBody: jsonBody({
        type: 'object',
        required: ['since', 'until'],
        properties: {
          since: { type: 'string', format: 'date-time' },
          until: { type: 'string', format: 'date-time' },
          types: { type: 'array', items: { type: 'string' } },
          webhook_url: { type: 'string' },
          webhook_id: { type: 'string' },
          secret: { type: 'string', minLength: 24 },
          agent_id: { type: 'string' },
          session_id: { type: 'string' },
          team_id: { type: 'string' },
          user_id: { type: 'string' },
        },
      }),
      responses: {
        202: jsonResponse('Accepted', replay),
        400: errorResponse('Invalid range, types, URL or secret'),
        404: errorResponse('Unknown webhook_id'),
      },
    },
    get: {
      summary: "The organization's replays, newest first",
      responses: {
        200: jsonResponse('Replays', { type: 'object', properties: { data: { type: 'array', items: replay } } }),
      },
    },
  },
  '/events/replay/{replay_id}': {
    get: {
      summary: 'Replay status and progress',
      parameters: [{ name: 'replay_id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: { 200: jsonResponse('The replay', replay), 404: errorResponse('No such replay') },
    },
  },
  '/events/replay/{replay_id}/cancel': {
    post: {
      summary: 'Cancel a replay',
      parameters: [{ name: 'replay_id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        202: jsonResponse('Cancelling', replay),
        404: errorResponse('No such replay'),
        409: errorResponse('Already finished'),
      },
    },
  },
};
