import { errorResponse, jsonBody, jsonResponse, ref, type OpenApiPaths } from './document.js';

const accepted = {
  type: 'object',
  properties: { id: { type: 'string' }, type: { type: 'string' }, created_at: { type: 'string', format: 'date-time' } },
};

export const publishPaths: OpenApiPaths = {
  '/events': {
    post: {
      summary: 'Publish one event, or a batch as {"events": [...]}',
      description:
        'Answers 202 once Kafka has acknowledged every event. A batch is all or nothing: if any event is invalid, none is published and `details` names each bad event by `index` and `field`. `id` and `created_at` are assigned when absent; publishing the same `id` again yields one event everywhere.',
      requestBody: jsonBody({
        oneOf: [
          ref('Event'),
          { type: 'object', required: ['events'], properties: { events: { type: 'array', items: ref('Event') } } },
        ],
      }),
      responses: {
        202: jsonResponse('Durable in Kafka', {
          oneOf: [accepted, { type: 'object', properties: { data: { type: 'array', items: accepted } } }],
        }),
        400: errorResponse('Invalid event (invalid_request, invalid_json, unknown_event_type)'),
        401: errorResponse('Missing or unknown API key'),
        403: errorResponse('An event names another organization'),
        413: errorResponse('Body or batch over the limit'),
        415: errorResponse('Not application/json'),
        503: errorResponse('Kafka did not acknowledge in time; retry with the same ids'),
      },
    },
  },
};
