import type { ResourceFilter, ResourceValues } from '../events/resources.js';

/*
 * The checked, normalized form of a filter: what the in-process matcher and the ClickHouse compiler
 * both evaluate. Every value has been converted to the kind of its field (timestamps to their
 * canonical text, whole numbers to exact bounds), `!=` is NOT of `=`, and every comparison is
 * two-valued: a field that is missing or null makes it false (and its NOT true).
 */

/** Text a value must equal (`exact`) or start with (`prefixes`); either list may be empty. */
export interface TextMatch {
  readonly exact: readonly string[];
  readonly prefixes: readonly string[];
}

export type Ordering = '<' | '<=' | '>' | '>=';

/**
 * How a number field is read: `int` (int and long fields: whole numbers, compared exactly), `float`
 * (float and double fields: 64-bit floating point), `json` (a number inside a field of any JSON).
 */
export type NumberKind = 'int' | 'float' | 'json';

/** A path inside `data`, e.g. `data.changes.name.new`. */
export interface DataPath {
  /** As written in the filter. */
  readonly text: string;
  /** The segments after `data`. */
  readonly keys: readonly string[];
  /** Per key: true for user data (a map key, a key inside a JSON value), false for a field name of the schema. */
  readonly userKeys: readonly boolean[];
}

export type DataTest =
  /** The field is there and not null (`field:*`). */
  | { readonly op: 'present' }
  /** A string (string, enum, timestamp or date field, or a string in a JSON field: `json`) that matches. */
  | { readonly op: 'text'; readonly match: TextMatch; readonly json: boolean }
  /** A timestamp or date, compared as canonical text (`2026-02-21T03:27:00.123Z`, `2026-02-01`), which orders as the instants do. */
  | { readonly op: 'textOrder'; readonly ordering: Ordering; readonly value: string }
  /** A number equal to one of `values`. */
  | { readonly op: 'number'; readonly numbers: NumberKind; readonly values: readonly number[] }
  /** A number compared with `value` (for `int`, `value` is a whole number and the ordering `<=` or `>=`). */
  | { readonly op: 'numberOrder'; readonly numbers: NumberKind; readonly ordering: Ordering; readonly value: number }
  /** true or false (`json`: in a field of any JSON). */
  | { readonly op: 'boolean'; readonly value: boolean; readonly json: boolean }
  /** An array of strings with at least one element that matches. */
  | { readonly op: 'contains'; readonly match: TextMatch }
  /** A map that has the key. */
  | { readonly op: 'hasKey'; readonly key: string };

export type ResourceTest = { readonly op: 'present' } | { readonly op: 'text'; readonly match: TextMatch };

export type CheckedNode =
  /** Every event (the empty filter). */
  | { readonly kind: 'all' }
  | { readonly kind: 'and'; readonly children: readonly CheckedNode[] }
  | { readonly kind: 'or'; readonly children: readonly CheckedNode[] }
  | { readonly kind: 'not'; readonly child: CheckedNode }
  /** The event's type is one of these. */
  | { readonly kind: 'type'; readonly types: ReadonlySet<string> }
  /** A resource id, read by the rule every read path shares (`core/events/resources.ts`). */
  | { readonly kind: 'resource'; readonly name: ResourceFilter; readonly test: ResourceTest }
  | { readonly kind: 'data'; readonly path: DataPath; readonly test: DataTest };

/** A filter checked against the event catalogue, with what it pins for routing. */
export interface CheckedFilter {
  readonly root: CheckedNode;
  /** The filter as written. */
  readonly text: string;
  /**
   * The types an event can have and match (within the request's `types`): consumers can skip
   * records by their type header before decoding them.
   */
  readonly types: ReadonlySet<string>;
  /** True when `types` is every type of the catalogue. */
  readonly allTypes: boolean;
  /**
   * Resource ids every matching event carries (`session_id = "sess_1"` joined by AND at the top):
   * consumers may index subscribers by them. Independent of the organization.
   */
  readonly resources: ResourceValues;
}
