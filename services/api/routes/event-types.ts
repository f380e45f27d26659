import { Type } from '@sinclair/typebox';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { GUIDE_EXAMPLES } from '../../../core/events/examples.js';
import { defineRoute, type Route } from '../http/route.js';
import { nullable } from '../http/schemas.js';
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

const eventTypeSchema = Type.Object({
  type: Type.String({ examples: ['session.completed'] }),
  category: Type.String({ examples: ['session'] }),
  description: Type.String(),
  resource_key: Type.String({ description: 'The `data` field that keys the Kafka record.', examples: ['session_id'] }),
  fields: Type.Array(
    Type.Object({
      name: Type.String({ description: 'Dotted path in `data`; `*` is any key of a map.', examples: ['steps'] }),
      type: Type.String({ examples: ['integer (int32)'] }),
      required: Type.Boolean(),
      nullable: Type.Boolean(),
      description: Type.String(),
      values: Type.Optional(Type.Array(Type.String(), { description: 'The values of an enum.' })),
    }),
  ),
  example: nullable(Type.Record(Type.String(), Type.Unknown(), { description: 'An example `data`.' })),
});

/** `GET /event-types`: the event catalogue (the console's catalogue page and pattern picker). */
export function eventTypeRoutes({ catalog }: { catalog: EventCatalog }): Route[] {
  const body = JSON.stringify({ data: describeEventTypes(catalog) });
  return [
    defineRoute({
      method: 'get',
      path: '/event-types',
      summary: 'The event catalogue: every type with its fields, their types and an example',
      access: 'key',
      responses: {
        200: { description: 'Event types', schema: Type.Object({ data: Type.Array(eventTypeSchema) }) },
      },
      handler: (_input, _req, res) => {
        res.type('application/json').send(body);
      },
    }),
  ];
}
