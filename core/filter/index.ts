import type { ErrorDetail } from '../errors/index.js';
import type { EventCatalog } from '../events/catalog.js';
import { type CheckFilterOptions, checkFilter } from './check.js';
import type { CheckedFilter } from './checked.js';
import { parseFilter } from './parse.js';

/*
 * The platform's filter language: one syntax (`docs/filters.md`), one checked form, evaluated in
 * process (`compileMatcher`) and in ClickHouse (`compileSql`) with the same results.
 */
export type { FilterAst } from './ast.js';
export { type CheckFilterOptions, checkFilter } from './check.js';
export type { CheckedFilter, CheckedNode, DataTest } from './checked.js';
export { FILTER_FIELD } from './errors.js';
export { FILTER_LIMITS } from './limits.js';
export { compileMatcher } from './matcher.js';
export { parseFilter } from './parse.js';
export {
  type CompileSqlOptions,
  compileSql,
  dataFieldSql,
  type FilterColumns,
  type SqlFilter,
  type SqlParam,
} from './sql.js';

/** Parses and checks a filter in one step: the checked filter, or error details (`field: "filter"`) naming the column. */
export function resolveFilter(
  text: string,
  catalog: EventCatalog,
  options: CheckFilterOptions = {},
): { filter: CheckedFilter; errors?: undefined } | { filter?: undefined; errors: ErrorDetail[] } {
  const parsed = parseFilter(text);
  if (parsed.errors) return { errors: parsed.errors };
  return checkFilter(parsed.ast, catalog, options);
}
