import { Type, type Static, type TObject, type TSchema } from '@sinclair/typebox';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { PlatformError, ValidationError, type ErrorDetail } from '../../../core/errors/index.js';
import { ORGANIZATION_HEADER, ORGANIZATION_ID } from './auth.js';
import { compileCheck, type Check, type RequestPart } from './validation.js';

/*
 * One declaration per route, as fastify's route `schema`: its parameters, query, headers and body
 * (TypeBox schemas), its answers by status, and its words. `routerOf` turns the declarations into
 * express handlers that validate (all parts at once, every bad field named) before the handler
 * runs; `pathsOf` turns the same declarations into their part of /openapi.json.
 */

export type Method = 'get' | 'post' | 'patch' | 'delete';

type Json = Record<string, unknown>;

/** One answer of a route. A string is an error answer (the `Error` shape) with that description. */
export type ResponseSpec =
  | string
  | {
      description: string;
      /** The JSON body; none for an empty answer. */
      schema?: TSchema | Json;
      /** Default `application/json`. */
      contentType?: string;
      headers?: Record<string, { description: string; schema: Json }>;
    };

/** Who may call a route. */
export type Access =
  /** An API key, acting on its organization; an admin key names one in the `RG-Organization-Id` header. */
  | 'organization'
  /** An API key; the route reads the organization elsewhere (a published event names its own). */
  | 'key'
  /** Anyone (the OpenAPI document). */
  | 'public';

export interface RouteSpec<
  Params extends TObject = TObject,
  Query extends TObject = TObject,
  Headers extends TObject = TObject,
  Body extends TSchema = TSchema,
> {
  method: Method;
  /** The path under `/api/v1`, written as in OpenAPI: `/webhooks/{webhook_id}`. */
  path: string;
  summary: string;
  description?: string;
  /** Default `organization`. */
  access?: Access;
  /** Security schemes beyond the bearer key (the stream's `access_token`). */
  security?: Json[];
  params?: Params;
  /** The query parameters; unknown ones are refused. Without it the query string is not read. */
  query?: Query;
  /** Request headers the route reads (`Last-Event-ID`), by their written names. */
  headers?: Headers;
  body?: Body;
  /** The body may be left out (then the handler gets `undefined`). */
  bodyOptional?: boolean;
  /**
   * Set when the body is documented by `body` but validated by the handler: published events are
   * checked against their Avro schemas (core/events/validate.ts), which name each bad event by
   * index; checking the documented union first would double the cost of the hot path.
   */
  bodyValidatedByHandler?: true;
  /** Its answers, by status, beyond those every route may give (401, 400, 413, 415, 500). */
  responses: Record<number, ResponseSpec>;
  /** Middleware before validation: the stream authenticates itself. */
  before?: RequestHandler[];
  handler: (
    input: { params: Static<Params>; query: Static<Query>; headers: Static<Headers>; body: Static<Body> },
    req: Request,
    res: Response,
  ) => unknown;
}

/** A declared route, its types erased so that routes of any shape share an array. */
export interface Route {
  readonly spec: RouteSpec<TObject, TObject, TObject, TSchema>;
}

export function defineRoute<
  Params extends TObject = TObject,
  Query extends TObject = TObject,
  Headers extends TObject = TObject,
  Body extends TSchema = TSchema,
>(spec: RouteSpec<Params, Query, Headers, Body>): Route {
  return { spec: spec as unknown as RouteSpec<TObject, TObject, TObject, TSchema> };
}

/** `/webhooks/{webhook_id}` → `/webhooks/:webhook_id`. */
export const expressPath = (path: string) => path.replace(/\{([^}]+)\}/g, ':$1');

const isArraySchema = (schema: unknown) => (schema as Json | undefined)?.type === 'array';

/** A query string as the schema reads it: an array parameter may be repeated or comma-separated. */
function queryOf(req: Request, schema: TObject): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(req.query)) {
    const property = schema.properties[name];
    if (!isArraySchema(property) || (typeof value !== 'string' && !Array.isArray(value))) {
      query[name] = value;
      continue;
    }
    query[name] = (Array.isArray(value) ? (value as unknown[]) : [value])
      .flatMap((item) => (typeof item === 'string' ? item.split(',') : [item]))
      .map((item) => (typeof item === 'string' ? item.trim() : item))
      .filter((item) => item !== '');
  }
  return query;
}

/**
 * The query reading of a route, for callers outside express (a benchmark building the same query):
 * validates and coerces `query` as the route does, or throws the same ValidationError.
 */
export function queryReader<Query extends TObject>(
  schema: Query,
  route: string,
): (query: Record<string, unknown>) => Static<Query> {
  const check = compileCheck(schema, 'query', route);
  return (query) => {
    const result = check(queryOf({ query } as unknown as Request, schema));
    if (!result.ok) throw new ValidationError('The query is invalid', result.errors);
    return result.value as Static<Query>;
  };
}

function headersOf(req: Request, schema: TObject): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of Object.keys(schema.properties)) {
    const value = req.get(name);
    if (value !== undefined) headers[name] = value;
  }
  return headers;
}

const unsupportedMediaType = (req: Request) =>
  new PlatformError('unsupported_media_type', 'The body must be JSON, sent with `Content-Type: application/json`', {
    details: [{ field: 'content-type', message: `must be application/json, got ${req.get('content-type') ?? 'none'}` }],
  });

const hasBody = (req: Request) =>
  Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;

const organizationHeaderSchema = {
  pattern: ORGANIZATION_ID.source,
  description: 'With an admin key: the organization to act on (required then; an ordinary key acts on its own).',
  'x-message': 'must be an organization id: letters, digits, _ . - (at most 128)',
};

const PART_WORDS: Record<RequestPart, string> = {
  path: 'The path',
  query: 'The query',
  header: 'A header',
  body: 'The body',
};

/** The headers a route reads, with `RG-Organization-Id` on routes that act on an organization. */
function headersSchema(spec: Route['spec']): TObject | undefined {
  if ((spec.access ?? 'organization') !== 'organization') return spec.headers;
  return Type.Object(
    { ...spec.headers?.properties, [ORGANIZATION_HEADER]: Type.Optional(Type.String(organizationHeaderSchema)) },
    { additionalProperties: false },
  );
}

function handlerOf({ spec }: Route): RequestHandler {
  const route = `${spec.method.toUpperCase()} ${spec.path}`;
  const checks: [RequestPart, Check, (req: Request) => unknown][] = [];
  if (spec.params) checks.push(['path', compileCheck(spec.params, 'path', route), (req) => ({ ...req.params })]);
  const headers = headersSchema(spec);
  if (headers) checks.push(['header', compileCheck(headers, 'header', route), (req) => headersOf(req, headers)]);
  if (spec.query) {
    const query = spec.query;
    checks.push(['query', compileCheck(query, 'query', route), (req) => queryOf(req, query)]);
  }
  const bodyCheck = spec.body && !spec.bodyValidatedByHandler ? compileCheck(spec.body, 'body', route) : undefined;

  return async (req, res) => {
    const input: Record<string, unknown> = { params: {}, query: {}, headers: {}, body: undefined };
    const errors: ErrorDetail[] = [];
    const parts = new Set<RequestPart>();
    for (const [part, check, read] of checks) {
      const result = check(read(req));
      if (result.ok) input[part === 'path' ? 'params' : part === 'header' ? 'headers' : part] = result.value;
      else {
        errors.push(...result.errors);
        parts.add(part);
      }
    }
    if (spec.body) {
      const given = spec.bodyOptional ? hasBody(req) : true;
      if (given && !req.is('application/json')) throw unsupportedMediaType(req);
      if (given) {
        const result = bodyCheck ? bodyCheck(req.body) : { ok: true as const, value: req.body as unknown };
        if (result.ok) input.body = result.value;
        else {
          errors.push(...result.errors);
          parts.add('body');
        }
      }
    }
    if (errors.length) {
      const where = parts.size === 1 ? PART_WORDS[[...parts][0]!] : 'The request';
      throw new ValidationError(`${where} is invalid`, errors);
    }
    await spec.handler(input as never, req, res);
  };
}

/** An express router of the routes, each validating its request before its handler runs. */
export function routerOf(routes: readonly Route[]): Router {
  const router = Router();
  for (const route of routes) {
    router[route.spec.method](expressPath(route.spec.path), ...(route.spec.before ?? []), handlerOf(route));
  }
  return router;
}

/** Each path's methods, as `Allow` lists them (GET brings HEAD), fixed paths before those with parameters. */
function allowedByPath(paths: Record<string, object>): [string, string][] {
  // Fixed paths first: `/events/replay` is not an `/events/{event_id}`.
  return Object.keys(paths)
    .sort((a, b) => a.split('{').length - b.split('{').length)
    .map((path) => {
      const methods = Object.keys(paths[path] as Json).map((method) => method.toUpperCase());
      if (methods.includes('GET')) methods.push('HEAD');
      return [path, [...methods, 'OPTIONS'].join(', ')];
    });
}

/**
 * `OPTIONS` on a path of the API: 204 with every method of the path in `Allow`, whichever router
 * holds each (express would answer with the methods of the first router only). Mounted first.
 */
export function optionsOf(paths: Record<string, object>): Router {
  const router = Router();
  for (const [path, allow] of allowedByPath(paths)) {
    router.options(expressPath(path), (_req, res) => {
      res.setHeader('Allow', allow);
      res.status(204).end();
    });
  }
  return router;
}

/**
 * Answers 405 `method_not_allowed` (with `Allow`) for a path that exists but not with the method
 * asked; mounted after every route, so that routes of several routers share a path.
 */
export function methodNotAllowed(paths: Record<string, object>): Router {
  const router = Router();
  for (const [path, allow] of allowedByPath(paths)) {
    router.all(expressPath(path), (req, res) => {
      res.setHeader('Allow', allow);
      throw new PlatformError('method_not_allowed', `${req.method} is not a method of ${path}`, {
        details: [{ field: 'method', message: `must be one of ${allow}` }],
      });
    });
  }
  return router;
}

const errorContent = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
const retryAfter = {
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 1 } },
};

function responseOf(status: number, spec: ResponseSpec): Json {
  if (typeof spec === 'string') {
    return {
      description: spec,
      content: errorContent,
      ...(status === 429 || status === 503 ? { headers: retryAfter } : {}),
    };
  }
  return {
    description: spec.description,
    ...(spec.schema ? { content: { [spec.contentType ?? 'application/json']: { schema: spec.schema } } } : {}),
    ...(spec.headers ? { headers: spec.headers } : {}),
  };
}

/** An OpenAPI parameter list of one part. */
function parametersOf(schema: TObject | undefined, where: 'path' | 'query' | 'header'): Json[] {
  if (!schema) return [];
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties).map(([name, property]) => {
    const { description, ...rest } = property as Json;
    return {
      name,
      in: where,
      required: where === 'path' || required.has(name),
      ...(description ? { description } : {}),
      schema: rest,
      ...(where === 'query' && isArraySchema(property) ? { style: 'form', explode: true } : {}),
    };
  });
}

/** The OpenAPI operation of a route: its own answers and those every route of its kind may give. */
export function operationOf({ spec }: Route): Json {
  const access = spec.access ?? 'organization';
  const takesInput = Boolean(spec.params || spec.query || spec.headers || spec.body || access === 'organization');
  const responses: Record<string, Json> = {};
  for (const [status, response] of Object.entries(spec.responses))
    responses[status] = responseOf(Number(status), response);
  const common: [number, string][] = [];
  if (takesInput) common.push([400, 'A parameter, header or field is invalid; `details` names each']);
  if (access !== 'public') common.push([401, 'No API key, or an unknown one']);
  if (spec.body) {
    common.push([413, 'The body is larger than RG_API_MAX_BODY_BYTES']);
    common.push([415, 'The body is not `application/json`']);
  }
  common.push([500, 'An unexpected failure; it is logged with the request id']);
  for (const [status, description] of common) responses[status] ??= responseOf(status, description);
  // Node's HTTP server refuses a request line and headers over its limit before any route runs.
  responses[431] ??= { description: 'The URL and headers are larger than the server takes (16 KiB); no body' };
  const parameters = [
    ...parametersOf(spec.params, 'path'),
    ...parametersOf(spec.query, 'query'),
    ...parametersOf(headersSchema(spec), 'header'),
  ];
  return {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    operationId: `${spec.method}${spec.path.replace(/\{([^}]+)\}/g, 'By_$1').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
    ...(access === 'public' ? { security: [] } : spec.security ? { security: spec.security } : {}),
    ...(parameters.length ? { parameters } : {}),
    ...(spec.body
      ? {
          requestBody: {
            required: !spec.bodyOptional,
            content: { 'application/json': { schema: spec.body } },
          },
        }
      : {}),
    responses,
  };
}

/** The routes' part of the OpenAPI document's `paths`. */
export function pathsOf(routes: readonly Route[]): Record<string, Json> {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    paths[route.spec.path] = { ...paths[route.spec.path], [route.spec.method]: operationOf(route) };
  }
  return paths;
}
