import type { ErrorDetail } from '../errors/index.js';
import type { EventCatalog } from '../events/catalog.js';
import type { StringLiteral } from './ast.js';
import type { CheckedNode, TextMatch } from './checked.js';
import { filterError } from './errors.js';

/** The state of one check: the catalogue, the text (for columns) and the errors found so far. */
export interface CheckContext {
  catalog: EventCatalog;
  text: string;
  errors: ErrorDetail[];
}

/** What checking one node gives: its checked form, the types it can match, and whether it tests only the type. */
export interface Checked {
  node: CheckedNode;
  possible: ReadonlySet<string>;
  typeOnly: boolean;
}

/** Records an error at `offset`; answers undefined so that checks can `return fail(…)`. */
export function fail(context: CheckContext, offset: number, message: string): undefined {
  context.errors.push(filterError(context.text, offset, message));
  return undefined;
}

/** The exact values and the prefixes (`value*`) of string literals. */
export function textMatch(values: readonly StringLiteral[]): TextMatch {
  return {
    exact: values.filter((value) => !value.prefix).map((value) => value.value),
    prefixes: values.filter((value) => value.prefix).map((value) => value.value),
  };
}
