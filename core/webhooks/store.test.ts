import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../events/catalog.js';
import { compilePatterns } from './store.js';

describe('compilePatterns', () => {
  const catalog = eventCatalog();

  it('matches exact types and category wildcards', () => {
    const matches = compilePatterns(catalog, ['agent.created', 'session.*']);
    expect(matches('agent.created')).toBe(true);
    expect(matches('session.completed')).toBe(true);
    expect(matches('agent.deleted')).toBe(false);
    expect(matches('billing.invoice.created')).toBe(false);
  });

  it('matches every type with *', () => {
    const matches = compilePatterns(catalog, ['*']);
    expect(catalog.types.every(matches)).toBe(true);
  });

  it('ignores a stored pattern the catalogue no longer knows, keeping the others', () => {
    const matches = compilePatterns(catalog, ['retired.type', 'session.completed']);
    expect(matches('session.completed')).toBe(true);
    expect(matches('retired.type')).toBe(false);
  });
});
