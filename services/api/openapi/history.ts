import { errorResponse, jsonResponse, ref, type OpenApiPaths } from './document.js';

const query = (name: string, description: string, schema: object = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});

export const historyPaths: OpenApiPaths = {
  '/events': {
    get: {
      summary: 'List past events (history)',
      description:
        'Newest first by default. Pages are exact: walking every page with `next_cursor` yields each matching event once, none skipped, even while events keep arriving (a walk reads the events stored when its first page was read).',
      parameters: [
        query('types', 'Comma-separated or repeated type patterns: session.completed, session.*, *'),
        query('since', 'Inclusive, RFC 3339', { type: 'string', format: 'date-time' }),
        query('until', 'Exclusive, RFC 3339', { type: 'string', format: 'date-time' }),
        query('agent_id', 'Events about this agent'),
        query('session_id', 'Events of this session'),
        query('team_id', 'Events of this team'),
        query('user_id', 'Events about this user, or caused by them (metadata.user_id)'),
        query('limit', '1–1000, default 100', { type: 'integer', minimum: 1, maximum: 1000 }),
        query('order', 'desc (default) or asc', { type: 'string', enum: ['desc', 'asc'] }),
        query('cursor', 'next_cursor of the previous page (same filters and order)'),
      ],
      responses: {
        200: jsonResponse('A page', {
          type: 'object',
          properties: {
            data: { type: 'array', items: ref('Event') },
            has_more: { type: 'boolean' },
            next_cursor: { type: 'string', nullable: true },
          },
        }),
        400: errorResponse('Invalid parameter, unknown type or invalid cursor'),
        503: errorResponse('ClickHouse is unreachable'),
      },
    },
  },
  '/events/{event_id}': {
    get: {
      summary: 'One event',
      parameters: [{ name: 'event_id', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        200: jsonResponse('The event', ref('Event')),
        404: errorResponse('No such event in your organization'),
      },
    },
  },
};
