import type { Request } from 'express';
import type { ErrorDetail } from '../../../core/errors/index.js';

// Query-string readers shared by the GET routes: each problem is pushed to `errors` naming its
// parameter, so a route reports every bad parameter at once.

/** What the readers use of a request: its parsed query string. */
export type QueryOf = Pick<Request, 'query'>;

/** One parameter's value, or undefined when absent; a repeated parameter is an error. */
export function singleParam(req: QueryOf, name: string, errors: ErrorDetail[]): string | undefined {
  const value = req.query[name];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  errors.push({ field: name, message: 'must be given once, as a string' });
  return undefined;
}

/** Parameters the route does not know, as errors. */
export function unknownParams(req: QueryOf, known: ReadonlySet<string>, route: string): ErrorDetail[] {
  return Object.keys(req.query)
    .filter((name) => !known.has(name))
    .map((field) => ({ field, message: `is not a parameter of ${route}` }));
}

const MAX_LIMIT = 1000;

/** `limit`: a whole number from 1 to 1000, `fallback` when absent. */
export function limitParam(req: QueryOf, fallback: number, errors: ErrorDetail[]): number {
  const text = singleParam(req, 'limit', errors) ?? String(fallback);
  const limit = /^\d{1,4}$/.test(text) ? Number(text) : Number.NaN;
  if (!(limit >= 1 && limit <= MAX_LIMIT))
    errors.push({ field: 'limit', message: `must be a whole number from 1 to ${MAX_LIMIT}` });
  return limit;
}

/** A resource id filter (`session_id`, …): 1 to 256 characters. */
export function resourceParam(req: QueryOf, name: string, errors: ErrorDetail[]): string | undefined {
  const value = singleParam(req, name, errors);
  if (value === undefined) return undefined;
  if (value.length > 0 && value.length <= 256) return value;
  errors.push({ field: name, message: 'must be 1 to 256 characters' });
  return undefined;
}
