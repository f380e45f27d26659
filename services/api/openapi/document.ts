import { ERROR_CODES } from '../../../core/errors/index.js';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { eventSchemas } from './json-schema.js';

type Json = Record<string, unknown>;

/** A part of the API's paths, contributed by one area (events, webhooks, replay, …). */
export type OpenApiPaths = Record<string, Json>;

export const errorResponse = (description: string): Json => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
export const jsonBody = (schema: Json): Json => ({ required: true, content: { 'application/json': { schema } } });
export const jsonResponse = (description: string, schema: Json): Json => ({
  description,
  content: { 'application/json': { schema } },
});
export const ref = (name: string): Json => ({ $ref: `#/components/schemas/${name}` });

/** The OpenAPI 3 document of the HTTP API, with event schemas derived from the Avro schemas. */
export function buildOpenApiDocument(catalog: EventCatalog, parts: OpenApiPaths[]): Json {
  const events = eventSchemas(catalog);
  return {
    openapi: '3.0.3',
    info: {
      title: 'ResonantGenesis Events API',
      version: '1.0.0',
      description:
        'Publish, query, stream, deliver and replay platform events. Every request carries `Authorization: Bearer <api key>`.',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }],
    paths: Object.assign({}, ...parts),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        ...events,
        Event: { oneOf: Object.keys(events).map(ref), discriminator: { propertyName: 'type' } },
        Error: {
          type: 'object',
          required: ['error'],
          properties: {
            error: {
              type: 'object',
              required: ['code', 'message', 'details'],
              properties: {
                code: { type: 'string', enum: Object.keys(ERROR_CODES) },
                message: { type: 'string' },
                details: {
                  type: 'array',
                  items: {
                    type: 'object',
                    properties: { field: { type: 'string' }, message: { type: 'string' }, index: { type: 'integer' } },
                  },
                },
              },
            },
          },
        },
      },
    },
  };
}
