import { errorResponse, type OpenApiPaths } from '../api/openapi/document.js';

const query = (name: string, description: string) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema: { type: 'string' },
});

export const streamPaths: OpenApiPaths = {
  '/events/subscribe': {
    get: {
      summary: 'Live stream of events (Server-Sent Events)',
      description: [
        "A `text/event-stream` of the organization's events as they are published. Each frame has `id:` (a resume cursor),",
        '`event:` (the type) and `data:` (the event JSON, as `GET /events/{event_id}` answers it). Comment lines are heartbeats;',
        'a `retry:` line suggests the reconnection delay. Reconnect with `Last-Event-ID` (or `last_event_id`) set to the last `id:`',
        'received to get every missed event once, in order per resource, as long as Kafka still keeps it (see docs/stream.md).',
        'EventSource clients, which cannot set headers, may send the key as `access_token`.',
      ].join(' '),
      parameters: [
        query(
          'events',
          'Comma-separated or repeated type patterns: session.completed, session.*, * (default: every type)',
        ),
        query('types', 'Same as events (both are accepted)'),
        query('session_id', 'Events of this session'),
        query('agent_id', 'Events about this agent'),
        query('team_id', 'Events of this team'),
        query('user_id', 'Events about this user, or caused by them (metadata.user_id)'),
        query(
          'last_event_id',
          'Resume after this cursor (for clients that cannot send the Last-Event-ID header; the header wins)',
        ),
        query('access_token', 'The API key, for EventSource clients that cannot send Authorization'),
        {
          name: 'Last-Event-ID',
          in: 'header',
          required: false,
          description: 'Resume after this cursor (the id: of the last frame received)',
          schema: { type: 'string' },
        },
      ],
      responses: {
        200: { description: 'The stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        400: errorResponse(
          'Unknown parameter, unknown type, invalid resource id or invalid cursor (before the stream opens)',
        ),
        401: errorResponse('No API key, or an unknown one'),
        429: errorResponse('Too many open streams for this API key'),
        503: errorResponse('The gateway is starting or stopping'),
      },
    },
  },
};
