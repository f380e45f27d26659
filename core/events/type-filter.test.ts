import { describe, expect, it } from 'vitest';
import { loadEventCatalog } from './catalog.js';
import { resolveTypeFilter, splitPatterns } from './type-filter.js';

const catalog = loadEventCatalog();

describe('resolveTypeFilter', () => {
  it('resolves exact types, prefixes and *', () => {
    const { filter } = resolveTypeFilter(catalog, ['session.*', 'agent.created']);
    expect(filter!.matches('session.step.completed')).toBe(true);
    expect(filter!.matches('agent.created')).toBe(true);
    expect(filter!.matches('agent.deleted')).toBe(false);
    expect(filter!.categories).toEqual(['agent', 'session']);
    expect(resolveTypeFilter(catalog, ['*']).filter!.all).toBe(true);
    expect(resolveTypeFilter(catalog, []).filter!.types.size).toBe(catalog.types.length);
  });

  it('tells an unknown type from a malformed pattern', () => {
    expect(resolveTypeFilter(catalog, ['session.exploded'])).toMatchObject({ unknownType: true });
    expect(resolveTypeFilter(catalog, ['nope.*'])).toMatchObject({ unknownType: true });
    const malformed = resolveTypeFilter(catalog, ["'; DROP"]);
    expect(malformed).toMatchObject({ unknownType: false });
    expect(malformed.errors![0]!.field).toBe('types');
  });

  it('names each bad pattern by index', () => {
    expect(resolveTypeFilter(catalog, ['session.*', 'x.y']).errors!.map((e) => e.field)).toEqual(['types[1]']);
  });
});

describe('splitPatterns', () => {
  it('accepts comma-separated and repeated values', () => {
    expect(splitPatterns(['a.b,c.*', ' d.e '])).toEqual(['a.b', 'c.*', 'd.e']);
    expect(splitPatterns(undefined)).toEqual([]);
  });
});
