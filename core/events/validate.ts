import type avro from 'avsc';
import { unknownEventType, type ErrorDetail } from '../errors/index.js';
import type { CatalogEntry, EventCatalog } from './catalog.js';
import { EVENT_ID_RULE, isValidEventId, newEventId } from './ids.js';
import type { PlatformEvent } from './model.js';
import { formatTimestamp, parseTimestamp } from './time.js';

export interface ValidateEventOptions {
  catalog: EventCatalog;
  /** The caller's organization; undefined for an admin key, which must name one in the event. */
  organizationId: string | undefined;
  /** Now, in ms since the epoch. */
  nowMs: number;
  /** How far in the future `created_at` may be, in ms (clock skew). */
  maxFutureMs: number;
  /** Prefix of every field path, e.g. `events[3].` in a batch. */
  fieldPrefix?: string;
  /** The event's index in a batch, copied into each error detail. */
  index?: number;
}

export type ValidationResult =
  | {
      ok: true;
      event: PlatformEvent;
      entry: CatalogEntry /** True when the id was made here: no earlier copy of the event can exist. */;
      idAssigned: boolean;
    }
  | { ok: false; errors: ErrorDetail[]; forbidden: boolean };

const ENVELOPE_FIELDS = new Set(['id', 'type', 'created_at', 'data', 'metadata']);
const METADATA_FIELDS = new Set(['organization_id', 'user_id', 'request_id']);
const EARLIEST_MS = Date.UTC(2000, 0, 1);
const MAX_METADATA_LENGTH = 256;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Describes an Avro type in the words of a JSON API user. */
export function describeType(type: avro.Type): string {
  const name = type.typeName;
  if (name === 'logical:timestamp-millis') return 'an RFC 3339 timestamp such as 2026-02-21T03:27:00.000Z';
  if (name === 'logical:date') return 'a date such as 2026-02-01';
  if (name === 'logical:json') return 'any JSON value';
  if (name === 'int') return 'a whole number between -2147483648 and 2147483647';
  if (name === 'long') return 'a whole number';
  if (name === 'double' || name === 'float') return 'a number';
  if (name === 'string') return 'a string';
  if (name === 'boolean') return 'true or false';
  if (name === 'null') return 'null';
  if (name === 'enum') return `one of ${(type as avro.types.EnumType).symbols.map((s) => `"${s}"`).join(', ')}`;
  if (name === 'array')
    return `an array of ${describeType((type as avro.types.ArrayType).itemsType).replace(/^an? /, '')}s`;
  if (name === 'map') return 'an object';
  if (name === 'record') return 'an object';
  if (name.startsWith('union')) {
    const branches = (type as avro.types.UnwrappedUnionType).types;
    return branches.map(describeType).join(' or ');
  }
  return name;
}

/** Checks `data` against the type's schema, naming each bad or unknown field. */
function checkAgainstSchema(
  entry: CatalogEntry,
  record: Record<string, unknown>,
  prefix: string,
  index?: number,
): ErrorDetail[] {
  // The fast path walks the value once without collecting; only invalid input pays for details.
  if (entry.avroType.isValid(record, { noUndeclaredFields: true })) return [];
  const errors: ErrorDetail[] = [];
  const at = (path: string[]) => prefix + path.join('.');
  entry.avroType.isValid(record, {
    noUndeclaredFields: true,
    errorHook(path: string[], value: unknown, type: avro.Type) {
      if (type.typeName === 'record' && isPlainObject(value)) {
        const declared = new Set((type as avro.types.RecordType).fields.map((field) => field.name));
        const unknown = Object.keys(value).filter((key) => !declared.has(key));
        for (const key of unknown)
          errors.push({
            field: at([...path, key]),
            message: 'is not a field of this event type',
            ...(index === undefined ? {} : { index }),
          });
        if (unknown.length) return;
      }
      const message = value === undefined ? `is required (${describeType(type)})` : `must be ${describeType(type)}`;
      errors.push({ field: at(path), message, ...(index === undefined ? {} : { index }) });
    },
  });
  return errors;
}

/**
 * Validates one event as a producer sent it and completes it: `id` and `created_at` are assigned
 * when absent, `metadata.organization_id` comes from the caller's key. Nothing is thrown: bad
 * input comes back as error details naming each field.
 */
// Module-level helpers, not closures per call: validation runs once per published event.
function errorDetail(options: ValidateEventOptions, field: string, message: string): ErrorDetail {
  return {
    field: (options.fieldPrefix ?? '') + field,
    message,
    ...(options.index === undefined ? {} : { index: options.index }),
  };
}

function fail(errors: ErrorDetail[], forbidden = false): ValidationResult {
  return { ok: false, errors, forbidden };
}

export function validateEvent(input: unknown, options: ValidateEventOptions): ValidationResult {
  const prefix = options.fieldPrefix ?? '';

  if (!isPlainObject(input))
    return fail(
      [errorDetail(options, prefix ? '' : 'body', 'must be a JSON object')].map((d) => ({
        ...d,
        field: d.field.replace(/\.$/, '') || 'body',
      })),
    );

  const errors: ErrorDetail[] = [];
  for (const key in input) {
    if (Object.hasOwn(input, key) && !ENVELOPE_FIELDS.has(key))
      errors.push(errorDetail(options, key, 'is not an event field (id, type, created_at, data, metadata)'));
  }

  const type = input.type;
  let entry: CatalogEntry | undefined;
  if (typeof type !== 'string' || type === '')
    errors.push(errorDetail(options, 'type', 'is required: an event type such as session.completed'));
  else {
    entry = options.catalog.get(type);
    if (!entry)
      return fail([
        ...errors,
        unknownEventType(errorDetail(options, 'type', `unknown event type "${type.slice(0, 200)}"`)),
      ]);
  }

  let id = input.id;
  if (id === undefined || id === null) id = undefined;
  else if (!isValidEventId(id)) errors.push(errorDetail(options, 'id', `must be ${EVENT_ID_RULE}`));

  let createdAtMs: number | undefined;
  if (input.created_at !== undefined && input.created_at !== null) {
    createdAtMs = typeof input.created_at === 'string' ? parseTimestamp(input.created_at) : undefined;
    if (createdAtMs === undefined)
      errors.push(errorDetail(options, 'created_at', 'must be an RFC 3339 timestamp such as 2026-02-21T03:27:00.123Z'));
    else if (createdAtMs > options.nowMs + options.maxFutureMs)
      errors.push(
        errorDetail(
          options,
          'created_at',
          `is too far in the future (more than ${Math.round(options.maxFutureMs / 1000)} s ahead)`,
        ),
      );
    else if (createdAtMs < EARLIEST_MS) errors.push(errorDetail(options, 'created_at', 'is before 2000-01-01'));
  }

  let forbidden = false;
  const metadataIn = input.metadata ?? {};
  let organizationId = options.organizationId;
  const metadata: Record<string, string | null> = { organization_id: '', user_id: null, request_id: null };
  if (!isPlainObject(metadataIn)) errors.push(errorDetail(options, 'metadata', 'must be an object'));
  else {
    for (const key in metadataIn) {
      if (!Object.hasOwn(metadataIn, key)) continue;
      const value = metadataIn[key];
      if (!METADATA_FIELDS.has(key)) {
        errors.push(
          errorDetail(options, `metadata.${key}`, 'is not a metadata field (organization_id, user_id, request_id)'),
        );
      } else if (
        value !== null &&
        (typeof value !== 'string' || value.length === 0 || value.length > MAX_METADATA_LENGTH)
      ) {
        errors.push(
          errorDetail(
            options,
            `metadata.${key}`,
            `must be a non-empty string of at most ${MAX_METADATA_LENGTH} characters, or null`,
          ),
        );
      } else {
        metadata[key] = value as string | null;
      }
    }
    const claimed = metadataIn.organization_id;
    if (organizationId === undefined) {
      if (typeof claimed !== 'string' || claimed === '')
        errors.push(errorDetail(options, 'metadata.organization_id', 'is required with an admin key'));
      else organizationId = claimed;
    } else if (claimed !== undefined && claimed !== null && claimed !== organizationId) {
      forbidden = true;
      errors.push(errorDetail(options, 'metadata.organization_id', 'belongs to another organization than the API key'));
    }
  }
  metadata.organization_id = organizationId ?? '';

  if (!isPlainObject(input.data)) errors.push(errorDetail(options, 'data', 'is required: an object'));
  if (errors.length || !entry) return fail(errors, forbidden);

  const event: PlatformEvent = {
    id: (id as string | undefined) ?? newEventId(createdAtMs ?? options.nowMs),
    type: entry.type,
    created_at: formatTimestamp(createdAtMs ?? options.nowMs),
    data: input.data as Record<string, unknown>,
    metadata: metadata as unknown as PlatformEvent['metadata'],
  };
  const schemaErrors = checkAgainstSchema(entry, event as unknown as Record<string, unknown>, prefix, options.index);
  const key = event.data[entry.resourceKey];
  if (!schemaErrors.length && (typeof key !== 'string' || key.trim() === '')) {
    schemaErrors.push(
      errorDetail(
        options,
        `data.${entry.resourceKey}`,
        'must not be empty: it identifies the resource the event is about',
      ),
    );
  }
  if (schemaErrors.length) return fail(schemaErrors);
  return { ok: true, event, entry, idAssigned: id === undefined };
}
