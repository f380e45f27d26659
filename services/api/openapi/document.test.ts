import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../../core/errors/codes.js';
import { loadEventCatalog } from '../../../core/events/catalog.js';
import { streamRoute } from '../../stream/route.js';
import { pathsOf, type Route } from '../http/route.js';
import { deliveriesRoutes } from '../routes/deliveries.js';
import { historyRoutes } from '../routes/history.js';
import { publishRoutes } from '../routes/publish.js';
import { replayRoutes } from '../routes/replay.js';
import { webhookRoutes } from '../routes/webhooks.js';
import { buildOpenApiDocument, mergePaths } from './document.js';

type Json = Record<string, unknown>;
const catalog = loadEventCatalog();
const none = {} as never;

// Every area's declarations, as the API composes them (the handlers never run here).
const areas: Route[][] = [
  publishRoutes({ catalog, producer: none, maxBatchEvents: 1000 }),
  webhookRoutes({ catalog, store: none, send: none, allowPrivate: false, secretGraceMs: 1, maxPerOrganization: 1 }),
  streamRoute(
    {
      config: { maxConcurrentCatchUps: 1 },
      keys: [],
      catalog,
      kafka: none,
      codec: none,
      hub: none,
      logger: none,
      metrics: none,
    } as never,
    { connections: new Set(), stopping: false },
  ).routes,
  replayRoutes({
    catalog,
    kafka: none,
    store: none,
    countWaitMs: 0,
    retentionMs: 1,
    findWebhook: () => undefined,
    checkUrl: () => undefined,
    workerGroup: 'g',
  }),
  deliveriesRoutes({ clickhouse: { database: 'db' } as never, findWebhook: () => undefined, cursorSecret: 'x' }),
  historyRoutes({ clickhouse: { database: 'db' } as never, catalog, cursorSecret: 'x' }),
];
const document = buildOpenApiDocument(catalog, mergePaths(areas.map(pathsOf))) as {
  paths: Record<string, Record<string, { responses: Record<string, Json>; security?: unknown[] }>>;
  components: { schemas: Record<string, Json> };
};

/** Every `$ref` in a value. */
function refs(value: unknown, found: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) refs(item, found);
  else if (value && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string') found.push(item);
      else refs(item, found);
    }
  return found;
}

describe('the OpenAPI document', () => {
  it('has every route of every area, two areas sharing a path included', () => {
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      [
        'GET /openapi.json',
        'POST /events',
        'GET /events',
        'GET /events/{event_id}',
        'GET /events/subscribe',
        'POST /events/replay',
        'GET /events/replay',
        'GET /events/replay/{replay_id}',
        'POST /events/replay/{replay_id}/cancel',
        'POST /webhooks',
        'GET /webhooks',
        'GET /webhooks/{webhook_id}',
        'PATCH /webhooks/{webhook_id}',
        'DELETE /webhooks/{webhook_id}',
        'POST /webhooks/{webhook_id}/rotate-secret',
        'POST /webhooks/{webhook_id}/test',
        'GET /webhooks/{webhook_id}/deliveries',
      ].sort(),
    );
  });

  it('tells the event unions apart by type, with a mapping from every type to its schema', () => {
    for (const name of ['Event', 'EventInput']) {
      const union = document.components.schemas[name] as {
        oneOf: { $ref: string }[];
        discriminator: { propertyName: string; mapping: Record<string, string> };
      };
      expect(union.discriminator.propertyName).toBe('type');
      expect(Object.keys(union.discriminator.mapping).sort()).toEqual([...catalog.types].sort());
      expect(Object.values(union.discriminator.mapping).sort()).toEqual(
        union.oneOf.map((branch) => branch.$ref).sort(),
      );
      for (const [type, target] of Object.entries(union.discriminator.mapping)) {
        const branch = document.components.schemas[target.split('/').pop()!] as { properties: { type: Json } };
        expect(branch.properties.type).toEqual({ type: 'string', const: type });
      }
    }
    // The guide's first example leaves these out: a producer may, a reader always gets them.
    const input = document.components.schemas.EventInput_agent_created as {
      properties: { data: { required: string[] } };
    };
    expect(input.properties.data.required).toEqual(['agent_id', 'name']);
    const event = document.components.schemas.Event_agent_created as { properties: { data: { required: string[] } } };
    expect(event.properties.data.required).toEqual(['agent_id', 'name', 'model', 'tools', 'created_by']);
  });

  it('answers every error in the one shape, with the statuses each kind of route can give', () => {
    for (const [path, item] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(item)) {
        const statuses = Object.keys(operation.responses);
        const where = `${method.toUpperCase()} ${path}`;
        expect(statuses, where).toContain('500');
        if (path !== '/openapi.json') expect(statuses, where).toEqual(expect.arrayContaining(['400', '401']));
        for (const status of statuses.filter((s) => Number(s) >= 400 && s !== '431'))
          expect(refs(operation.responses[status]), `${where} ${status}`).toEqual(['#/components/schemas/Error']);
      }
    expect(Object.keys(document.paths['/events']!.post!.responses)).toEqual(
      expect.arrayContaining(['202', '403', '413', '415', '503']),
    );
    expect(Object.keys(document.paths['/events/subscribe']!.get!.responses)).toEqual(
      expect.arrayContaining(['200', '429', '503']),
    );
    expect(Object.keys(document.paths['/webhooks']!.post!.responses)).toContain('409');
    expect(Object.keys(document.paths['/events/replay/{replay_id}/cancel']!.post!.responses)).toContain('409');
    const error = document.components.schemas.Error as { properties: { error: { properties: { code: Json } } } };
    expect(error.properties.error.properties.code.enum).toEqual(Object.keys(ERROR_CODES));
  });

  it('resolves every reference', () => {
    for (const target of refs(document)) {
      expect(target, target).toMatch(/^#\/components\/schemas\//);
      expect(document.components.schemas, target).toHaveProperty(target.split('/').pop()!);
    }
  });
});
