import type { CatalogEntry, EventCatalog } from '../../../core/events/catalog.js';
import { EVENT_ID_PATTERN } from '../../../core/events/ids.js';

type Json = Record<string, unknown>;

const INT = { type: 'integer', format: 'int32', minimum: -2147483648, maximum: 2147483647 };
const LONG = { type: 'integer', format: 'int64', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };

/**
 * Avro → JSON Schema (2020-12, as OpenAPI 3.1 reads it), as the API shows the values: RFC 3339
 * strings for times, dates, any JSON for `json`. `input` describes what a producer may send (a
 * field with a default may be left out); otherwise what readers get (every field present).
 */
export function avroToJsonSchema(type: unknown, input = false): Json {
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return { type: 'string' };
      case 'boolean':
        return { type: 'boolean' };
      case 'int':
        return { ...INT };
      case 'long':
        return { ...LONG };
      case 'float':
      case 'double':
        return { type: 'number' };
      case 'null':
        return { type: 'null' };
      default:
        return {};
    }
  }
  if (Array.isArray(type)) {
    const branches = type.map((branch) => avroToJsonSchema(branch, input));
    const nonNull = branches.filter((branch) => branch.type !== 'null');
    if (nonNull.length === 1 && branches.length === 2 && typeof nonNull[0]!.type === 'string')
      return { ...nonNull[0], type: [nonNull[0]!.type, 'null'] };
    return { anyOf: branches };
  }
  const schema = type as Json;
  switch (schema.logicalType) {
    case 'timestamp-millis':
      return { type: 'string', format: 'date-time' };
    case 'date':
      return { type: 'string', format: 'date' };
    case 'json':
      return { description: 'Any JSON value.' };
  }
  switch (schema.type) {
    case 'record': {
      const fields = schema.fields as Json[];
      return {
        type: 'object',
        additionalProperties: false,
        required: fields.filter((field) => !input || !('default' in field)).map((field) => field.name),
        properties: Object.fromEntries(
          fields.map((field) => [
            field.name,
            {
              ...avroToJsonSchema(field.type, input),
              ...(field.doc ? { description: field.doc } : {}),
              ...('default' in field ? { default: field.default } : {}),
            },
          ]),
        ),
      };
    }
    case 'array':
      return { type: 'array', items: avroToJsonSchema(schema.items, input) };
    case 'map':
      return { type: 'object', additionalProperties: avroToJsonSchema(schema.values, input) };
    case 'enum':
      return { type: 'string', enum: schema.symbols };
    default:
      return avroToJsonSchema(schema.type, input);
  }
}

const componentName = (prefix: string, type: string) => `${prefix}_${type.replaceAll('.', '_')}`;

function dataSchema(entry: CatalogEntry, input: boolean): Json {
  const data = (entry.schema.fields as Json[]).find((field) => field.name === 'data')!;
  const schema = avroToJsonSchema(data.type, input);
  // The resource key names what the event is about: never empty.
  const properties = schema.properties as Record<string, Json>;
  properties[entry.resourceKey] = { ...properties[entry.resourceKey], minLength: 1, pattern: '\\S' };
  return schema;
}

const metadataText = (description: string) => ({
  type: ['string', 'null'],
  minLength: 1,
  maxLength: 256,
  description,
});

/** An event as readers get it: every field present. */
function eventSchema(entry: CatalogEntry): Json {
  return {
    type: 'object',
    description: entry.description,
    additionalProperties: false,
    required: ['id', 'type', 'created_at', 'data', 'metadata'],
    properties: {
      id: { type: 'string', pattern: EVENT_ID_PATTERN.source },
      type: { type: 'string', const: entry.type },
      created_at: { type: 'string', format: 'date-time', description: 'UTC, millisecond precision.' },
      data: dataSchema(entry, false),
      metadata: {
        type: 'object',
        additionalProperties: false,
        required: ['organization_id', 'user_id', 'request_id'],
        properties: {
          organization_id: { type: 'string' },
          user_id: metadataText('The user who caused it.'),
          request_id: metadataText('The request that caused it.'),
        },
      },
    },
  };
}

/** An event as a producer sends it: `id`, `created_at`, `metadata` and the fields with defaults may be left out. */
function eventInputSchema(entry: CatalogEntry): Json {
  return {
    type: 'object',
    description: entry.description,
    additionalProperties: false,
    required: ['type', 'data'],
    properties: {
      id: {
        type: ['string', 'null'],
        pattern: EVENT_ID_PATTERN.source,
        description: 'Your own id, for idempotency; assigned (evt_ + a ULID) when absent or null.',
      },
      type: { type: 'string', const: entry.type },
      created_at: {
        type: ['string', 'null'],
        format: 'date-time',
        description: 'When it happened (now when absent or null): after 2000-01-01, at most 5 minutes ahead.',
      },
      data: dataSchema(entry, true),
      metadata: {
        type: ['object', 'null'],
        additionalProperties: false,
        properties: {
          organization_id: {
            type: ['string', 'null'],
            minLength: 1,
            maxLength: 256,
            description:
              "The key's own organization (it may be left out), or any with an admin key (which must name one).",
          },
          user_id: metadataText('The user who caused it.'),
          request_id: metadataText('The request that caused it.'),
        },
      },
    },
  };
}

/** A union of one schema per event type, told apart by `type`. */
function union(prefix: string, catalog: EventCatalog, description: string): Json {
  const names = catalog.entries().map((entry) => componentName(prefix, entry.type));
  return {
    description,
    oneOf: names.map((name) => ({ $ref: `#/components/schemas/${name}` })),
    discriminator: {
      propertyName: 'type',
      mapping: Object.fromEntries(
        catalog.entries().map((entry) => [entry.type, `#/components/schemas/${componentName(prefix, entry.type)}`]),
      ),
    },
  };
}

/** The event schemas of the document: `Event` (as read) and `EventInput` (as published), one branch per type. */
export function eventSchemas(catalog: EventCatalog): Record<string, Json> {
  const out: Record<string, Json> = {
    Event: union('Event', catalog, 'An event, as history, the stream and webhooks show it.'),
    EventInput: union('EventInput', catalog, 'An event to publish.'),
  };
  for (const entry of catalog.entries()) {
    out[componentName('Event', entry.type)] = eventSchema(entry);
    out[componentName('EventInput', entry.type)] = eventInputSchema(entry);
  }
  return out;
}
