import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type avro from 'avsc';
import { projectPath } from '../paths.js';
import { avroTypeFor } from './avro-types.js';
import { categoryOfType, EVENT_CATEGORIES, type EventCategory } from './categories.js';
import type { EventTypeInfo } from './model.js';

/** An event type with its parsed Avro type. */
export interface CatalogEntry extends EventTypeInfo {
  avroType: avro.Type;
}

/** Every event type the platform knows, loaded from `schemas/<category>/<type>.avsc`. */
export interface EventCatalog {
  readonly types: readonly string[];
  get(type: string): CatalogEntry | undefined;
  entries(): readonly CatalogEntry[];
  /** Types of one category, in the catalogue's order. */
  typesOfCategory(category: EventCategory): readonly string[];
}

function readEntry(file: string): CatalogEntry {
  const schema = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const type = schema['x-event-type'];
  const resourceKey = schema['x-resource-key'];
  if (typeof type !== 'string' || typeof resourceKey !== 'string') {
    throw new Error(`${file}: x-event-type and x-resource-key are required`);
  }
  const category = categoryOfType(type);
  if (!category) throw new Error(`${file}: ${type} is not in a known category`);
  return {
    type,
    category,
    resourceKey,
    recordName: `${String(schema.namespace)}.${String(schema.name)}`,
    schema,
    description: String(schema.doc ?? ''),
    avroType: avroTypeFor(schema),
  };
}

export function loadEventCatalog(dir: string = projectPath('schemas')): EventCatalog {
  const entries: CatalogEntry[] = [];
  for (const category of EVENT_CATEGORIES) {
    let files: string[] = [];
    try {
      files = readdirSync(join(dir, category))
        .filter((file) => file.endsWith('.avsc'))
        .sort();
    } catch {
      continue;
    }
    for (const file of files) entries.push(readEntry(join(dir, category, file)));
  }
  const byType = new Map(entries.map((entry) => [entry.type, entry]));
  const types = Object.freeze(entries.map((entry) => entry.type));
  return {
    types,
    get: (type) => byType.get(type),
    entries: () => entries,
    typesOfCategory: (category) => entries.filter((entry) => entry.category === category).map((entry) => entry.type),
  };
}

let shared: EventCatalog | undefined;

/** The catalogue of the repository's `schemas/` folder, loaded once. */
export function eventCatalog(): EventCatalog {
  shared ??= loadEventCatalog();
  return shared;
}
