import type { EventCatalog } from '../../../core/events/catalog.js';

type Json = Record<string, unknown>;

/** Avro → JSON Schema, as the API shows the types (RFC 3339 strings, dates, any JSON for `json`). */
export function avroToJsonSchema(type: unknown): Json {
  if (typeof type === 'string') {
    switch (type) {
      case 'string':
        return { type: 'string' };
      case 'boolean':
        return { type: 'boolean' };
      case 'int':
        return { type: 'integer', format: 'int32' };
      case 'long':
        return { type: 'integer', format: 'int64' };
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
    const branches = type.map(avroToJsonSchema);
    const nonNull = branches.filter((branch) => branch.type !== 'null');
    if (nonNull.length === 1 && branches.length === 2) return { ...nonNull[0], nullable: true };
    return { oneOf: branches };
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
        required: fields.filter((field) => !('default' in field)).map((field) => field.name),
        properties: Object.fromEntries(
          fields.map((field) => [
            field.name,
            { ...avroToJsonSchema(field.type), ...(field.doc ? { description: field.doc } : {}) },
          ]),
        ),
      };
    }
    case 'array':
      return { type: 'array', items: avroToJsonSchema(schema.items) };
    case 'map':
      return { type: 'object', additionalProperties: avroToJsonSchema(schema.values) };
    case 'enum':
      return { type: 'string', enum: schema.symbols };
    default:
      return avroToJsonSchema(schema.type);
  }
}

/** One component schema per event type, built from its Avro schema. */
export function eventSchemas(catalog: EventCatalog): Record<string, Json> {
  const out: Record<string, Json> = {};
  for (const entry of catalog.entries()) {
    const record = avroToJsonSchema(entry.schema);
    const properties = record.properties as Record<string, Json>;
    properties.type = { type: 'string', enum: [entry.type] };
    out[`Event_${entry.type.replaceAll('.', '_')}`] = { ...record, description: entry.description };
  }
  return out;
}
