import type { ErrorDetail } from '../errors/index.js';
import type { EventCatalog } from '../events/catalog.js';
import { RESOURCE_FILTERS, type ResourceFilter, type ResourceValues } from '../events/resources.js';
import type { TypeFilter } from '../events/type-filter.js';
import type { FilterAst, FilterNode, Literal, Restriction, StringLiteral } from './ast.js';
import { checkDataRestriction } from './check-data.js';
import type { CheckedFilter, CheckedNode } from './checked.js';
import { type CheckContext, type Checked, fail, textMatch } from './context.js';
import { columnOf, filterError, typeList, typesIn } from './errors.js';
import { resolveDataPath } from './fields.js';

export interface CheckFilterOptions {
  /** The request's `types` parameter: the filter selects among these (and the checked filter includes them). Default: every type. */
  types?: TypeFilter;
}

const RESOURCE_NAMES = new Set<string>(RESOURCE_FILTERS);
const KNOWN_FIELDS = `type, ${RESOURCE_FILTERS.join(', ')} or data.<field>`;

const intersect = (a: ReadonlySet<string>, b: ReadonlySet<string>) => new Set([...a].filter((type) => b.has(type)));
const minus = (a: ReadonlySet<string>, b: ReadonlySet<string>) => new Set([...a].filter((type) => !b.has(type)));

/** The types a node narrows to by its conditions on `type` alone (data conditions leave the scope as is). */
function explicitTypes(node: FilterNode, scope: ReadonlySet<string>, catalog: EventCatalog): ReadonlySet<string> {
  switch (node.kind) {
    case 'and':
      return node.children.reduce((set, child) => explicitTypes(child, set, catalog), scope);
    case 'or': {
      const union = new Set<string>();
      for (const child of node.children) for (const type of explicitTypes(child, scope, catalog)) union.add(type);
      return union;
    }
    case 'not':
      return isTypeOnly(node.child) ? minus(scope, explicitTypes(node.child, scope, catalog)) : scope;
    case 'restriction': {
      if (!isTypeRestriction(node)) return scope;
      const selected = typesOfValues(node.values, catalog);
      return node.op === '!=' ? minus(scope, selected) : intersect(scope, selected);
    }
    default:
      return scope;
  }
}

function isTypeRestriction(node: Restriction): boolean {
  return node.field.segments.length === 1 && node.field.segments[0] === 'type' && ['=', '!=', 'in'].includes(node.op);
}

function isTypeOnly(node: FilterNode): boolean {
  if (node.kind === 'restriction') return isTypeRestriction(node);
  if (node.kind === 'not') return isTypeOnly(node.child);
  if (node.kind === 'and' || node.kind === 'or') return node.children.every(isTypeOnly);
  return false;
}

/** The types matching `type` values (exact names and `prefix*`); values that are not strings select none. */
function typesOfValues(values: readonly Literal[], catalog: EventCatalog): Set<string> {
  const types = new Set<string>();
  for (const value of values) {
    if (value.kind !== 'string') continue;
    if (value.prefix) {
      for (const type of catalog.types) if (type.startsWith(value.value)) types.add(type);
    } else if (catalog.get(value.value)) types.add(value.value);
  }
  return types;
}

function checkNode(node: FilterNode, scope: ReadonlySet<string>, context: CheckContext): Checked | undefined {
  switch (node.kind) {
    case 'all':
      return { node: { kind: 'all' }, possible: scope, typeOnly: true };
    case 'not': {
      const child = checkNode(node.child, scope, context);
      if (!child) return undefined;
      return {
        node: child.node.kind === 'not' ? child.node.child : { kind: 'not', child: child.node },
        possible: child.typeOnly ? minus(scope, child.possible) : scope,
        typeOnly: child.typeOnly,
      };
    }
    case 'or': {
      const children = node.children.map((child) => checkNode(child, scope, context));
      if (children.some((child) => !child)) return undefined;
      const possible = new Set<string>();
      for (const child of children as Checked[]) for (const type of child.possible) possible.add(type);
      return {
        node: { kind: 'or', children: flatten('or', children as Checked[]) },
        possible,
        typeOnly: (children as Checked[]).every((child) => child.typeOnly),
      };
    }
    case 'and': {
      const narrowed = explicitTypes(node, scope, context.catalog);
      if (narrowed.size === 0)
        return fail(
          context,
          node.start,
          `these conditions on type select no event type together (the selected types are ${typeList(scope)})`,
        );
      const children = node.children.map((child) => checkNode(child, narrowed, context));
      if (children.some((child) => !child)) return undefined;
      let possible: ReadonlySet<string> = narrowed;
      for (const child of children as Checked[]) possible = intersect(possible, child.possible);
      if (possible.size === 0) return impossible(node, children as Checked[], context);
      return {
        node: { kind: 'and', children: flatten('and', children as Checked[]) },
        possible,
        typeOnly: (children as Checked[]).every((child) => child.typeOnly),
      };
    }
    case 'restriction':
      return checkRestriction(node, scope, context);
  }
}

/** An AND whose parts no single event type can satisfy together: names what each part can match. */
function impossible(node: FilterNode & { kind: 'and' }, children: Checked[], context: CheckContext): undefined {
  const parts = node.children.map((child, index) => {
    const what =
      child.kind === 'restriction'
        ? child.field.text
        : `the condition at column ${columnOf(context.text, child.start)}`;
    return `${what} (${typeList(children[index]!.possible)})`;
  });
  return fail(context, node.start, `no event type can satisfy these conditions together: ${parts.join('; ')}`);
}

function flatten(kind: 'and' | 'or', children: Checked[]): CheckedNode[] {
  return children.flatMap((child) => (child.node.kind === kind ? child.node.children : [child.node]));
}

function checkRestriction(node: Restriction, scope: ReadonlySet<string>, context: CheckContext): Checked | undefined {
  const [root, ...rest] = node.field.segments;
  if (root === 'data') {
    if (rest.length === 0) return fail(context, node.start, 'name a field of data, e.g. data.status');
    return checkDataRestriction(node, rest, scope, context);
  }
  if (rest.length === 0 && root === 'type') return checkType(node, scope, context);
  if (rest.length === 0 && RESOURCE_NAMES.has(root!))
    return checkResource(node, root as ResourceFilter, scope, context);
  return fail(context, node.start, `unknown field ${node.field.text}: a filter names ${KNOWN_FIELDS}`);
}

function checkType(node: Restriction, scope: ReadonlySet<string>, context: CheckContext): Checked | undefined {
  if (!['=', '!=', 'in'].includes(node.op))
    return fail(context, node.start, `type takes =, != or IN (e.g. type = "session.*"), not ${node.op}`);
  const types = new Set<string>();
  for (const value of node.values) {
    if (value.kind !== 'string')
      return fail(context, value.start, 'an event type is text: put it in quotes, e.g. "session.failed"');
    const selected = typesOfValues([value], context.catalog);
    if (selected.size === 0)
      return fail(
        context,
        value.start,
        value.prefix ? `no event type starts with "${value.value}"` : `unknown event type "${value.value}"`,
      );
    for (const type of selected) types.add(type);
  }
  const test: CheckedNode = { kind: 'type', types };
  const possible = intersect(scope, types);
  return node.op === '!='
    ? { node: { kind: 'not', child: test }, possible: minus(scope, types), typeOnly: true }
    : { node: test, possible, typeOnly: true };
}

function checkResource(
  node: Restriction,
  name: ResourceFilter,
  scope: ReadonlySet<string>,
  context: CheckContext,
): Checked | undefined {
  // user_id falls back to metadata.user_id, which every type has; the others are data fields.
  const carriers =
    name === 'user_id'
      ? scope
      : new Set(
          [...scope].filter((type) =>
            resolveDataPath(context.catalog.get(type)!, [name])?.types.some((field) => field.kind === 'string'),
          ),
        );
  if (carriers.size === 0)
    return fail(context, node.start, `${name} is not a field of ${typesIn(scope, context.catalog)}`);
  if (node.op === ':') {
    if (node.values[0]?.kind !== 'any')
      return fail(context, node.start, `${name}:* tests that the event has one; to compare, use = or IN`);
    return { node: { kind: 'resource', name, test: { op: 'present' } }, possible: carriers, typeOnly: false };
  }
  if (!['=', '!=', 'in'].includes(node.op))
    return fail(context, node.start, `${name} takes =, !=, IN or :* (ids have no order), not ${node.op}`);
  const strings: StringLiteral[] = [];
  for (const value of node.values) {
    if (value.kind !== 'string') return fail(context, value.start, `${name} is an id: put the value in quotes`);
    if (value.value === '')
      return fail(
        context,
        value.start,
        value.prefix
          ? `use ${name}:* for events that have one`
          : `ids are never empty: use NOT ${name}:* for events without one`,
      );
    strings.push(value);
  }
  const test: CheckedNode = { kind: 'resource', name, test: { op: 'text', match: textMatch(strings) } };
  return node.op === '!='
    ? { node: { kind: 'not', child: test }, possible: scope, typeOnly: false }
    : { node: test, possible: carriers, typeOnly: false };
}

/** Resource ids that every matching event carries: exact single-value tests joined by AND at the top. */
function pinnedResources(root: CheckedNode): ResourceValues {
  const pins: ResourceValues = {};
  const parts = root.kind === 'and' ? root.children : [root];
  for (const part of parts) {
    if (part.kind !== 'resource' || part.test.op !== 'text') continue;
    const { exact, prefixes } = part.test.match;
    if (exact.length === 1 && prefixes.length === 0 && pins[part.name] === undefined) pins[part.name] = exact[0];
  }
  return pins;
}

/**
 * Checks a parsed filter against the catalogue: every field against the schemas of the types it
 * can apply to (the request's `types`, narrowed by the filter's own conditions on `type`), every
 * value against its field's kind. Answers the checked filter, or error details naming the column
 * and the field.
 */
export function checkFilter(
  ast: FilterAst,
  catalog: EventCatalog,
  options: CheckFilterOptions = {},
): { filter: CheckedFilter; errors?: undefined } | { filter?: undefined; errors: ErrorDetail[] } {
  const requested = options.types && !options.types.all ? options.types.types : new Set(catalog.types);
  const context: CheckContext = { catalog, text: ast.text, errors: [] };
  const checked = checkNode(ast.root, requested, context);
  if (!checked || context.errors.length) return { errors: context.errors };
  if (checked.possible.size === 0)
    return {
      errors: [filterError(ast.text, 0, `the filter matches no event of the selected types (${typeList(requested)})`)],
    };
  let root = checked.node;
  if (requested.size < catalog.types.length) {
    const types: CheckedNode = { kind: 'type', types: requested };
    root =
      root.kind === 'all'
        ? types
        : { kind: 'and', children: [types, ...(root.kind === 'and' ? root.children : [root])] };
  }
  const types = checked.possible;
  return {
    filter: {
      root,
      text: ast.text,
      types,
      allTypes: types.size === catalog.types.length,
      resources: pinnedResources(root),
    },
  };
}
