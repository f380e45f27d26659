import { Type } from '@sinclair/typebox';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadEventCatalog } from '../../../core/events/catalog.js';
import { createLogger } from '../../../core/log/logger.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { defineRoute, methodNotAllowed, operationOf, optionsOf, pathsOf, routerOf } from './route.js';
import { limit, typePatternList } from './schemas.js';

const catalog = loadEventCatalog();
const seen: unknown[] = [];

const list = defineRoute({
  method: 'get',
  path: '/things',
  summary: 'Things',
  access: 'key',
  query: Type.Object(
    {
      types: Type.Optional(typePatternList(catalog, 'Type patterns')),
      limit: Type.Optional(limit(10)),
      name: Type.Optional(Type.String({ minLength: 1, maxLength: 4 })),
    },
    { additionalProperties: false },
  ),
  responses: { 200: { description: 'The things', schema: Type.Object({}) } },
  handler({ query }, _req, res) {
    seen.push(query);
    res.json({});
  },
});

const create = defineRoute({
  method: 'post',
  path: '/things/{thing_id}',
  summary: 'Make a thing',
  params: Type.Object({ thing_id: Type.String() }),
  body: Type.Object(
    {
      url: Type.String({ description: 'Where it goes.' }),
      events: Type.Optional(typePatternList(catalog, 'Patterns')),
      code: Type.Optional(Type.String({ pattern: '^[a-z]+$', 'x-message': 'must be lowercase letters' })),
      note: Type.Optional(Type.Union([Type.String({ maxLength: 3 }), Type.Null()])),
    },
    { additionalProperties: false, 'x-unknown-field': 'is not a thing field' },
  ),
  responses: { 201: { description: 'Made' }, 404: 'No such thing' },
  handler({ params, body }, _req, res) {
    seen.push({ params, body });
    res.status(201).end();
  },
});

let url = '';
let server: ReturnType<express.Express['listen']>;

beforeAll(async () => {
  const app = express();
  app.set('query parser', 'extended');
  const paths = pathsOf([list, create]);
  app.use(optionsOf(paths));
  app.use(express.json());
  app.use(routerOf([list, create]));
  app.use(methodNotAllowed(paths));
  app.use(notFoundHandler);
  app.use(errorHandler(createLogger({ level: 'error', base: {} })));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url + path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

describe('a declared route', () => {
  it('coerces the query: numbers, and lists repeated or comma-separated', async () => {
    seen.length = 0;
    expect((await call('GET', '/things?limit=5&types=session.*,agent.created&types=*')).status).toBe(200);
    expect(seen[0]).toEqual({ limit: 5, types: ['session.*', 'agent.created', '*'] });
  });

  it('names every bad parameter at once, in the users’ words', async () => {
    const res = await call('GET', '/things?limit=0&colour=red&name=toolong&name=b');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toBe('The query is invalid');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        { field: 'limit', message: 'must be a whole number from 1 to 1000' },
        { field: 'colour', message: 'is not a parameter of GET /things' },
        { field: 'name', message: 'must be given once, as a string' },
      ]),
    );
    expect(res.body.error.details).toHaveLength(3);
  });

  it('answers unknown_event_type only when every bad field is an unknown event type', async () => {
    const unknown = await call('GET', '/things?types=session.exploded');
    expect(unknown.body.error).toMatchObject({
      code: 'unknown_event_type',
      details: [{ field: 'types', message: 'unknown event type "session.exploded"' }],
    });
    const wildcard = await call('GET', '/things?types=agent.created,weather.*');
    expect(wildcard.body.error).toMatchObject({
      code: 'unknown_event_type',
      details: [{ field: 'types[1]', message: 'no event type matches "weather.*"' }],
    });
    const malformed = await call('GET', '/things?types=Session!!');
    expect(malformed.body.error.code).toBe('invalid_request');
    expect(malformed.body.error.details[0].message).toMatch(/is not an event type pattern/);
    const mixed = await call('GET', '/things?types=session.exploded&limit=0');
    expect(mixed.body.error.code).toBe('invalid_request');
    expect(mixed.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['limit', 'types']);
  });

  it('validates the body: required, unknown and mistyped fields, with the route’s words', async () => {
    const res = await call('POST', '/things/t1', { events: ['nope.*'], code: 'ABC', note: 'long', extra: 1 });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe('The body is invalid');
    expect(res.body.error.details).toEqual(
      expect.arrayContaining([
        { field: 'url', message: 'is required: Where it goes' },
        { field: 'extra', message: 'is not a thing field' },
        { field: 'code', message: 'must be lowercase letters' },
        { field: 'note', message: 'must be a string of at most 3 characters or null' },
        { field: 'events', message: 'no event type matches "nope.*"' },
      ]),
    );
    expect(res.body.error.code).toBe('invalid_request');
    seen.length = 0;
    expect((await call('POST', '/things/t1', { url: 'x', note: null })).status).toBe(201);
    expect(seen[0]).toEqual({ params: { thing_id: 't1' }, body: { url: 'x', note: null } });
  });

  it('refuses a body that is not JSON with 415, and checks the organization header when given', async () => {
    const text = await call('POST', '/things/t1', 'url=x', { 'content-type': 'text/plain' });
    expect(text.status).toBe(415);
    expect(text.body.error.code).toBe('unsupported_media_type');
    const header = await call('POST', '/things/t1', { url: 'x' }, { 'RG-Organization-Id': 'not valid!' });
    expect(header.body.error.details).toEqual([
      { field: 'RG-Organization-Id', message: 'must be an organization id: letters, digits, _ . - (at most 128)' },
    ]);
  });

  it('answers 405 with Allow for another method of a known path, and OPTIONS with every method', async () => {
    const res = await call('DELETE', '/things');
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD, OPTIONS');
    expect(res.body.error.code).toBe('method_not_allowed');
    const options = await call('OPTIONS', '/things/t1');
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toBe('POST, OPTIONS');
    expect((await call('GET', '/nothing')).status).toBe(404);
  });
});

describe('operationOf', () => {
  it('documents the declaration: parameters, body, its answers and those every route may give', () => {
    const operation = operationOf(create) as {
      parameters: { name: string; in: string; required: boolean }[];
      requestBody: { required: boolean };
      responses: Record<string, { description: string; content?: object }>;
    };
    expect(operation.parameters.map(({ name, in: where }) => `${where}:${name}`)).toEqual([
      'path:thing_id',
      'header:RG-Organization-Id',
    ]);
    expect(operation.requestBody.required).toBe(true);
    expect(Object.keys(operation.responses).sort()).toEqual(['201', '400', '401', '404', '413', '415', '431', '500']);
    expect(operation.responses['404']!.content).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/Error' } },
    });
    const query = operationOf(list) as { parameters: { name: string; style?: string; schema: object }[] };
    expect(query.parameters.find((p) => p.name === 'types')).toMatchObject({ style: 'form', explode: true });
    expect(query.parameters.find((p) => p.name === 'limit')!.schema).toMatchObject({ minimum: 1, maximum: 1000 });
  });
});
