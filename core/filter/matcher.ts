import type { PlatformEvent } from '../events/model.js';
import type { ResourceFilter } from '../events/resources.js';
import type { CheckedFilter, CheckedNode, DataTest, Ordering, TextMatch } from './checked.js';

/*
 * The in-process evaluation of a checked filter: a tree of small closures built once, so that
 * matching an event allocates nothing and does a constant amount of work per comparison (a set
 * lookup, or one pass over a one-of list of prefixes or an array field). It runs per record in the
 * dispatcher, the live stream and the replay worker.
 */

type EventTest = (event: PlatformEvent) => boolean;
type ValueTest = (value: unknown) => boolean;
type Read = (event: PlatformEvent) => unknown;

/** A field of an object (not of an array, not inherited): what ClickHouse's JSON functions see too. */
function own(value: unknown, key: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, key))
    return undefined;
  return (value as Record<string, unknown>)[key];
}

/** Reads `data.<keys>` of an event; undefined when any step is missing or not an object. */
function reader(keys: readonly string[]): Read {
  if (keys.length === 1) {
    const [a] = keys as [string];
    return (event) => own(event.data, a);
  }
  if (keys.length === 2) {
    const [a, b] = keys as [string, string];
    return (event) => own(own(event.data, a), b);
  }
  return (event) => {
    let value: unknown = event.data;
    for (let i = 0; i < keys.length && value !== undefined; i += 1) value = own(value, keys[i]!);
    return value;
  };
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A resource id by the rule of `resourcesOf` (`core/events/resources.ts`), read without building its object. */
function resourceReader(name: ResourceFilter): Read {
  if (name === 'user_id') return (event) => text(event.data.user_id) ?? text(event.metadata.user_id);
  return (event) => text(event.data[name]);
}

function textTest({ exact, prefixes }: TextMatch): (value: string) => boolean {
  if (prefixes.length === 0) {
    if (exact.length === 1) {
      const [only] = exact;
      return (value) => value === only;
    }
    const set = new Set(exact);
    return (value) => set.has(value);
  }
  const set = new Set(exact);
  return (value) => {
    if (set.has(value)) return true;
    for (let i = 0; i < prefixes.length; i += 1) if (value.startsWith(prefixes[i]!)) return true;
    return false;
  };
}

/** A value of `kind` (text or number) in the given order to `bound`; values of other kinds never are. */
function orderTest(kind: 'string' | 'number', ordering: Ordering, bound: string | number): ValueTest {
  if (ordering === '<') return (value) => typeof value === kind && (value as typeof bound) < bound;
  if (ordering === '<=') return (value) => typeof value === kind && (value as typeof bound) <= bound;
  if (ordering === '>') return (value) => typeof value === kind && (value as typeof bound) > bound;
  return (value) => typeof value === kind && (value as typeof bound) >= bound;
}

function valueTest(test: DataTest): ValueTest {
  switch (test.op) {
    case 'present':
      return (value) => value !== undefined && value !== null;
    case 'text': {
      const matches = textTest(test.match);
      return (value) => typeof value === 'string' && matches(value);
    }
    case 'textOrder':
      return orderTest('string', test.ordering, test.value);
    case 'number': {
      if (test.values.length === 1) {
        const [only] = test.values;
        return (value) => value === only;
      }
      const set = new Set(test.values);
      return (value) => typeof value === 'number' && set.has(value);
    }
    case 'numberOrder':
      return orderTest('number', test.ordering, test.value);
    case 'boolean': {
      const wanted = test.value;
      return (value) => value === wanted;
    }
    case 'contains': {
      const matches = textTest(test.match);
      return (value) => {
        if (!Array.isArray(value)) return false;
        for (let i = 0; i < value.length; i += 1) {
          const item = value[i];
          if (typeof item === 'string' && matches(item)) return true;
        }
        return false;
      };
    }
    case 'hasKey': {
      const key = test.key;
      return (value) =>
        value !== null && typeof value === 'object' && !Array.isArray(value) && Object.hasOwn(value, key);
    }
  }
}

function compile(node: CheckedNode): EventTest {
  switch (node.kind) {
    case 'all':
      return () => true;
    case 'not': {
      const child = compile(node.child);
      return (event) => !child(event);
    }
    case 'and': {
      const parts = node.children.map(compile);
      if (parts.length === 2) {
        const [a, b] = parts as [EventTest, EventTest];
        return (event) => a(event) && b(event);
      }
      return (event) => {
        for (let i = 0; i < parts.length; i += 1) if (!parts[i]!(event)) return false;
        return true;
      };
    }
    case 'or': {
      const parts = node.children.map(compile);
      if (parts.length === 2) {
        const [a, b] = parts as [EventTest, EventTest];
        return (event) => a(event) || b(event);
      }
      return (event) => {
        for (let i = 0; i < parts.length; i += 1) if (parts[i]!(event)) return true;
        return false;
      };
    }
    case 'type': {
      const types = node.types;
      return (event) => types.has(event.type);
    }
    case 'resource': {
      const read = resourceReader(node.name);
      if (node.test.op === 'present') return (event) => read(event) !== undefined;
      const matches = textTest(node.test.match);
      return (event) => {
        const value = read(event);
        return value !== undefined && matches(value as string);
      };
    }
    case 'data': {
      const read = reader(node.path.keys);
      const test = valueTest(node.test);
      return (event) => test(read(event));
    }
  }
}

/**
 * The in-process matcher of a checked filter: true when the event matches. The organization is
 * not part of a filter: callers match it (and may route by `filter.types` and `filter.resources`)
 * before.
 */
export function compileMatcher(filter: CheckedFilter): (event: PlatformEvent) => boolean {
  return compile(filter.root);
}
