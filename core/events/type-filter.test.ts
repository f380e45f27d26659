import { describe, expect, it } from 'vitest';
import { loadEventCatalog } from './catalog.js';
import { validationCode } from '../errors/index.js';
import { isTypePatternSyntax, resolveTypeFilter, splitPatterns, typePatterns } from './type-filter.js';

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
    expect(validationCode(resolveTypeFilter(catalog, ['session.exploded']).errors!)).toBe('unknown_event_type');
    expect(validationCode(resolveTypeFilter(catalog, ['nope.*']).errors!)).toBe('unknown_event_type');
    const malformed = resolveTypeFilter(catalog, ["'; DROP"]);
    expect(validationCode(malformed.errors!)).toBe('invalid_request');
    expect(malformed.errors![0]!.field).toBe('types');
    // One malformed pattern among unknown ones: the request is not only about unknown types.
    expect(validationCode(resolveTypeFilter(catalog, ['nope.*', 'Nope!']).errors!)).toBe('invalid_request');
  });

  it('names each bad pattern by index', () => {
    expect(resolveTypeFilter(catalog, ['session.*', 'x.y']).errors!.map((e) => e.field)).toEqual(['types[1]']);
  });
});

describe('typePatterns', () => {
  it('lists every pattern that resolves, and only those', () => {
    const patterns = typePatterns(catalog);
    expect(patterns).toContain('*');
    expect(patterns).toContain('session.*');
    expect(patterns).toContain('session.step.*');
    expect(patterns).toContain('system.maintenance.scheduled');
    expect(patterns).not.toContain('session.step.completed.*');
    for (const pattern of patterns) {
      expect(isTypePatternSyntax(pattern), pattern).toBe(true);
      expect(resolveTypeFilter(catalog, [pattern]).filter, pattern).toBeDefined();
    }
    expect(new Set(patterns).size).toBe(patterns.length);
  });
});

describe('splitPatterns', () => {
  it('accepts comma-separated and repeated values', () => {
    expect(splitPatterns(['a.b,c.*', ' d.e '])).toEqual(['a.b', 'c.*', 'd.e']);
    expect(splitPatterns(undefined)).toEqual([]);
  });
});
