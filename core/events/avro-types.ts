import avro from 'avsc';
import { formatDate, formatTimestamp, parseDate, parseTimestamp } from './time.js';

/*
 * Avro logical types as the JSON API speaks them. In Avro the values are plain longs, ints and
 * strings (what any Confluent deserializer reads); in our code they are RFC 3339 strings, dates,
 * and any JSON value.
 */

/** `timestamp-millis` (long) ⇄ `2026-02-21T03:27:00.123Z`. */
class TimestampMillisType extends avro.types.LogicalType {
  override _fromValue(value: number): string {
    return formatTimestamp(value);
  }
  override _toValue(value: unknown): number | undefined {
    if (typeof value === 'string') return parseTimestamp(value);
    return undefined;
  }
  override _resolve(type: avro.Type) {
    if (avro.Type.isType(type, 'long', 'logical:timestamp-millis')) return (value: unknown) => value;
    return undefined;
  }
}

/** `date` (int, days since the epoch) ⇄ `2026-02-01`. */
class DateType extends avro.types.LogicalType {
  override _fromValue(value: number): string {
    return formatDate(value);
  }
  override _toValue(value: unknown): number | undefined {
    return typeof value === 'string' ? parseDate(value) : undefined;
  }
  override _resolve(type: avro.Type) {
    if (avro.Type.isType(type, 'int', 'logical:date')) return (value: unknown) => value;
    return undefined;
  }
}

/** `json` (string holding JSON text) ⇄ any JSON value, kept exactly (the `changes` maps). */
class JsonType extends avro.types.LogicalType {
  override _fromValue(value: string): unknown {
    return JSON.parse(value);
  }
  override _toValue(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    try {
      return JSON.stringify(value);
    } catch {
      return undefined;
    }
  }
  override _resolve(type: avro.Type) {
    if (avro.Type.isType(type, 'string', 'logical:json')) return (value: unknown) => value;
    return undefined;
  }
}

export const LOGICAL_TYPES = {
  'timestamp-millis': TimestampMillisType,
  date: DateType,
  json: JsonType,
} as unknown as Record<string, new (schema: avro.Schema, opts?: unknown) => avro.types.LogicalType>;

/** Parses an Avro schema with the platform's logical types. */
export function avroTypeFor(schema: object): avro.Type {
  return avro.Type.forSchema(schema as avro.Schema, { logicalTypes: LOGICAL_TYPES, wrapUnions: 'auto' });
}
