import { Router } from 'express';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { GUIDE_EXAMPLES } from '../../../core/events/examples.js';
import { avroToJsonSchema } from '../openapi/json-schema.js';

type Json = Record<string, unknown>;

/** One field of an event type's `data`, as the catalogue shows it. */
export interface EventTypeField {
  /** Dotted path in `data`; `*` stands for any key of a map (`changes.*.old`). */
  name: string;
  /** The JSON type: `string`, `integer`, `number`, `boolean`, `string (date-time)`, `array of string`, `object`, `any JSON`, … */
  type: string;
  required: boolean;
  nullable: boolean;
  description: string;
  /** The allowed values of an enum. */
  values?: string[];
}

export interface EventTypeDescription {
  type: string;
  category: string;
  description: string;
  /** The `data` field whose value keys the event's Kafka record (its resource). */
  resource_key: string;
  fields: EventTypeField[];
  /** An example `data`, as the events guide shows it. */
  example: Record<string, unknown> | null;
}

function typeName(schema: Json): string {
  if (schema.enum) return 'string (enum)';
  if (schema.type === 'array') return `array of ${typeName((schema.items ?? {}) as Json)}`;
  if (schema.type === 'object') return schema.properties ? 'object' : 'map';
  if (typeof schema.type === 'string') return schema.format ? `${schema.type} (${String(schema.format)})` : schema.type;
  return 'any JSON';
}

/** The fields of an object schema, nested ones flattened to dotted paths. */
export function fieldsOf(schema: Json, prefix = ''): EventTypeField[] {
  const properties = (schema.properties ?? {}) as Record<string, Json>;
  const required = new Set((schema.required ?? []) as string[]);
  return Object.entries(properties).flatMap(([name, property]) => {
    const path = `${prefix}${name}`;
    const field: EventTypeField = {
      name: path,
      type: typeName(property),
      required: required.has(name),
      nullable: property.nullable === true,
      description: typeof property.description === 'string' ? property.description : '',
      ...(Array.isArray(property.enum) ? { values: property.enum as string[] } : {}),
    };
    const values = property.additionalProperties as Json | undefined;
    const items = property.items as Json | undefined;
    const nested =
      property.type === 'object' && property.properties
        ? fieldsOf(property, `${path}.`)
        : values && typeof values === 'object' && values.properties
          ? fieldsOf(values, `${path}.*.`)
          : items?.properties
            ? fieldsOf(items, `${path}[].`)
            : [];
    return [field, ...nested];
  });
}

/** Every event type with its fields, their types and an example, read from the Avro schemas. */
export function describeEventTypes(catalog: EventCatalog): EventTypeDescription[] {
  return catalog.entries().map((entry) => {
    const envelope = avroToJsonSchema(entry.schema);
    const data = ((envelope.properties ?? {}) as Record<string, Json>).data ?? {};
    return {
      type: entry.type,
      category: entry.category,
      description: entry.description,
      resource_key: entry.resourceKey,
      fields: fieldsOf(data),
      example: GUIDE_EXAMPLES[entry.type] ?? null,
    };
  });
}

/** `GET /event-types`: the event catalogue (the console's catalogue page and pattern picker). */
export function eventTypeRoutes({ catalog }: { catalog: EventCatalog }): Router {
  const router = Router();
  const body = JSON.stringify({ data: describeEventTypes(catalog) });
  router.get('/event-types', (_req, res) => {
    res.type('application/json').send(body);
  });
  return router;
}
