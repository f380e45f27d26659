import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { TSchema } from '@sinclair/typebox';
import { unknownEventType, type ErrorDetail } from '../../../core/errors/index.js';
import { isTypePatternSyntax } from '../../../core/events/type-filter.js';
import { parseTimestamp } from '../../../core/events/time.js';

/*
 * Request validation, as fastify does it: routes declare their parameters, query and body as
 * JSON Schema written with TypeBox (the schema is the declaration: no conversion step stands
 * between what is validated and what /openapi.json shows, and TypeScript reads the handler's
 * input type off it), and ajv, the validator fastify uses, compiles each schema once. Query strings
 * and path parameters are coerced (`limit=10` is a number, a single `types=a` an array of one);
 * bodies are JSON and are not. The schemas may carry three annotations of ours, kept in the document
 * as OpenAPI extensions: `x-message` (what a bad value must be, in the users' words),
 * `x-unknown-field` (what to say of a field an object does not have) and `x-event-type-pattern` (an
 * event type pattern: a well-formed pattern that matches no type is reported as an unknown event
 * type, see `validationCode`).
 */

const options = { allErrors: true, verbose: true, strict: true, strictRequired: false, allowUnionTypes: true } as const;

function createAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({ ...options, ...(coerce ? { coerceTypes: 'array' as const } : {}) });
  ajv.addVocabulary(['x-message', 'x-event-type-pattern', 'x-unknown-field']);
  // The API's own RFC 3339 reading (`created_at`, `since`, `until`): the same rule everywhere.
  ajv.addFormat('date-time', { type: 'string', validate: (text: string) => parseTimestamp(text) !== undefined });
  // A URL as WHATWG URL reads it; the webhook URL rules (https, no private address) come after.
  ajv.addFormat('uri', { type: 'string', validate: (text: string) => URL.canParse(text) });
  return ajv;
}

const forBodies = createAjv(false);
const forStrings = createAjv(true);

/** What validating one part of a request answers: the value (coerced) or the details naming each bad field. */
export type Checked<T> = { ok: true; value: T } | { ok: false; errors: ErrorDetail[] };

/** Where a value sits in a request, for the field names of its errors. */
export type RequestPart = 'path' | 'query' | 'header' | 'body';

/** A compiled check of one part of a request. */
export type Check = (value: unknown) => Checked<unknown>;

/** Compiles `schema` for one part of a request. `route` (e.g. `GET /events`) words unknown fields. */
export function compileCheck(schema: TSchema, part: RequestPart, route: string): Check {
  const validate: ValidateFunction = (part === 'body' ? forBodies : forStrings).compile(schema);
  return (value) => {
    if (validate(value)) return { ok: true, value };
    return { ok: false, errors: toDetails(validate.errors ?? [], part, route, value) };
  };
}

/** `/events/3/data` → `events[3].data`. */
function fieldOf(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (extra !== undefined) parts.push(extra);
  return parts
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : path ? `${path}.${part}` : part), '');
}

function valueAt(root: unknown, instancePath: string): unknown {
  let value = root;
  for (const part of instancePath.split('/').slice(1)) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

type Schema = Record<string, unknown>;

const plural = (text: string) => text.replace(/^an? /, '').replace(/(s?)$/, 's');

/** A schema in words, for messages: "a whole number from 1 to 1000", "a string or null". */
export function describeSchema(schema: Schema): string {
  if (typeof schema['x-message'] === 'string') return (schema['x-message'] as string).replace(/^must be /, '');
  if ('const' in schema) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum))
    return `one of ${(schema.enum as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (Array.isArray(schema.anyOf)) return (schema.anyOf as Schema[]).map(describeSchema).join(' or ');
  const range = (unit: string, min: unknown, max: unknown) =>
    min !== undefined && max !== undefined
      ? ` of ${min} to ${max}${unit}`
      : max !== undefined
        ? ` of at most ${max}${unit}`
        : min !== undefined
          ? ` of at least ${min}${unit}`
          : '';
  switch (schema.type) {
    case 'string':
      if (schema.format === 'date-time') return 'an RFC 3339 timestamp such as 2026-02-21T00:00:00Z';
      return `a string${range(' characters', schema.minLength, schema.maxLength)}`;
    case 'integer':
      return schema.minimum !== undefined && schema.maximum !== undefined
        ? `a whole number from ${schema.minimum} to ${schema.maximum}`
        : 'a whole number';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'true or false';
    case 'null':
      return 'null';
    case 'array': {
      const items = schema.items ? ` of ${plural(describeSchema(schema.items as Schema))}` : '';
      return `an array${items}${range(' items', schema.minItems, schema.maxItems)}`;
    }
    case 'object':
      return 'an object';
    default:
      return 'valid';
  }
}

/** ajv's errors as the API's details: one per field, in the users' words. */
function toDetails(errors: ErrorObject[], part: RequestPart, route: string, root: unknown): ErrorDetail[] {
  const byField = new Map<string, ErrorDetail>();
  const put = (field: string, detail: ErrorDetail, replace = false) => {
    if (replace || !byField.has(field)) byField.set(field, detail);
  };
  for (const error of errors) {
    const schema = error.parentSchema as Schema | undefined;
    if (error.keyword === 'required') {
      const name = (error.params as { missingProperty: string }).missingProperty;
      const property = ((schema?.properties ?? {}) as Record<string, Schema>)[name];
      const field = fieldOf(error.instancePath, name);
      const what = property?.description ? `: ${String(property.description).replace(/\.$/, '')}` : '';
      put(field, { field, message: `is required${what}` });
      continue;
    }
    if (error.keyword === 'additionalProperties') {
      const name = (error.params as { additionalProperty: string }).additionalProperty;
      const field = fieldOf(error.instancePath, name);
      const message =
        (schema?.['x-unknown-field'] as string | undefined) ??
        (part === 'query' ? `is not a parameter of ${route}` : `is not a field of ${route}`);
      put(field, { field, message });
      continue;
    }
    // The only item of a list is named as the list (`types`, not `types[0]`), as type filters name it.
    const parent = error.instancePath.replace(/\/\d+$/, '');
    const only = parent !== error.instancePath && (valueAt(root, parent) as unknown[] | undefined)?.length === 1;
    const field = fieldOf(only ? parent : error.instancePath) || 'body';
    const value = valueAt(root, error.instancePath);
    if (schema?.['x-event-type-pattern'] && typeof value === 'string') {
      // Replaces whatever else was said of the field: this is the one thing wrong with it.
      put(
        field,
        isTypePatternSyntax(value)
          ? unknownEventType({
              field,
              message: value.endsWith('.*') ? `no event type matches "${value}"` : `unknown event type "${value}"`,
            })
          : {
              field,
              message: `"${value.slice(0, 200)}" is not an event type pattern (e.g. session.completed, session.*, *)`,
            },
        true,
      );
      continue;
    }
    if (part === 'query' && error.keyword === 'type' && (Array.isArray(value) || typeof value === 'object')) {
      put(field, { field, message: 'must be given once, as a string' });
      continue;
    }
    if (!schema) continue;
    const message = (schema['x-message'] as string | undefined) ?? `must be ${describeSchema(schema)}`;
    // An `anyOf` is reported after its branches: its words cover them all.
    put(field, { field, message }, error.keyword === 'anyOf');
  }
  return [...byField.values()];
}
