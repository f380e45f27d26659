import type avro from 'avsc';
import type { CatalogEntry } from '../events/catalog.js';

/**
 * What a filter can compare a `data` field with, read from the Avro schema of one event type.
 * Timestamps (`timestamp-millis`) and dates (`date`) are strings in events (`2026-02-21T03:27:00.123Z`,
 * `2026-02-01`); `json` (the `old` and `new` of `changes`) holds any JSON value.
 */
export type FieldKind =
  | 'string'
  | 'enum'
  | 'int'
  | 'float'
  | 'boolean'
  | 'timestamp'
  | 'date'
  | 'json'
  | 'array'
  | 'map'
  | 'record'
  | 'other';

export interface FieldType {
  kind: FieldKind;
  /** True when the field may be null (a union with null) or absent (a field of a JSON value). */
  nullable: boolean;
  /** An enum's symbols. */
  symbols?: readonly string[];
  /** An array's items. */
  items?: FieldType;
}

/** A path resolved in one type: its possible types (one per non-null union branch) and which segments are keys of user data. */
export interface ResolvedPath {
  types: FieldType[];
  /** Per segment: true for a map key or a key inside a JSON value (any text), false for a schema field name. */
  userKeys: boolean[];
}

const dataTypes = new WeakMap<CatalogEntry, avro.types.RecordType>();

/** The Avro record type of an entry's `data`. */
function dataTypeOf(entry: CatalogEntry): avro.types.RecordType {
  let type = dataTypes.get(entry);
  if (!type) {
    const field = (entry.avroType as avro.types.RecordType).fields.find((candidate) => candidate.name === 'data');
    if (!field) throw new Error(`${entry.type}: its schema has no data field`);
    type = field.type as avro.types.RecordType;
    dataTypes.set(entry, type);
  }
  return type;
}

/** The non-null branches of a type, and whether null is one of them. */
function branches(type: avro.Type): { types: avro.Type[]; nullable: boolean } {
  if (type.typeName.startsWith('union')) {
    const all = (type as avro.types.UnwrappedUnionType).types;
    return { types: all.filter((branch) => branch.typeName !== 'null'), nullable: all.length > 1 };
  }
  return { types: [type], nullable: false };
}

function describe(type: avro.Type, nullable: boolean): FieldType {
  switch (type.typeName) {
    case 'string':
      return { kind: 'string', nullable };
    case 'enum':
      return { kind: 'enum', nullable, symbols: (type as avro.types.EnumType).symbols };
    case 'int':
    case 'long':
      return { kind: 'int', nullable };
    case 'float':
    case 'double':
      return { kind: 'float', nullable };
    case 'boolean':
      return { kind: 'boolean', nullable };
    case 'logical:timestamp-millis':
      return { kind: 'timestamp', nullable };
    case 'logical:date':
      return { kind: 'date', nullable };
    case 'logical:json':
      return { kind: 'json', nullable: true };
    case 'array': {
      const items = branches((type as avro.types.ArrayType).itemsType);
      const item =
        items.types.length === 1
          ? describe(items.types[0]!, items.nullable)
          : { kind: 'other' as const, nullable: true };
      return { kind: 'array', nullable, items: item };
    }
    case 'map':
      return { kind: 'map', nullable };
    case 'record':
      return { kind: 'record', nullable };
    default:
      return { kind: 'other', nullable };
  }
}

/**
 * Resolves `segments` (the path after `data.`) in one event type, or undefined when the type has
 * no such field. Records are entered by field name, maps by any key, JSON values by any key;
 * arrays are not entered (a filter tests their elements with `:`).
 */
export function resolveDataPath(entry: CatalogEntry, segments: readonly string[]): ResolvedPath | undefined {
  let current: { type: avro.Type; nullable: boolean }[] = [{ type: dataTypeOf(entry), nullable: false }];
  let inJson = false;
  const userKeys: boolean[] = [];
  for (const segment of segments) {
    if (inJson) {
      userKeys.push(true);
      continue;
    }
    const next: { type: avro.Type; nullable: boolean }[] = [];
    let userKey = false;
    for (const { type } of current) {
      if (type.typeName === 'record') {
        const field = (type as avro.types.RecordType).field(segment);
        if (!field) continue;
        const { types, nullable } = branches(field.type);
        for (const branch of types) next.push({ type: branch, nullable });
      } else if (type.typeName === 'map') {
        userKey = true;
        const { types, nullable } = branches((type as avro.types.MapType).valuesType);
        for (const branch of types) next.push({ type: branch, nullable });
      } else if (type.typeName === 'logical:json') {
        userKey = true;
        inJson = true;
        next.push({ type, nullable: true });
      }
    }
    if (next.length === 0) return undefined;
    userKeys.push(userKey);
    current = next;
  }
  return { types: current.map(({ type, nullable }) => describe(type, nullable || inJson)), userKeys };
}
