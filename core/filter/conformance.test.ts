import { describe, expect, it } from 'vitest';
import { loadEventCatalog } from '../events/catalog.js';
import { resolveTypeFilter } from '../events/type-filter.js';
import {
  CONFORMANCE_CASES,
  CONFORMANCE_COLUMNS,
  CONFORMANCE_EVENTS,
  storedConformanceEvents,
} from './conformance-cases.js';
import { compileMatcher, compileSql, resolveFilter } from './index.js';

const catalog = loadEventCatalog();
const events = storedConformanceEvents(catalog);
const columns = CONFORMANCE_COLUMNS;

describe('filter conformance suite, in process', () => {
  it('has at least 100 cases, each on a known event, both outcomes well represented', () => {
    expect(CONFORMANCE_CASES.length).toBeGreaterThanOrEqual(100);
    for (const c of CONFORMANCE_CASES) expect(CONFORMANCE_EVENTS[c.event], c.about).toBeDefined();
    const matching = CONFORMANCE_CASES.filter((c) => c.expected).length;
    expect(matching).toBeGreaterThan(30);
    expect(CONFORMANCE_CASES.length - matching).toBeGreaterThan(30);
  });

  it('stores events as consumers decode them (a lone surrogate arrives as U+FFFD, timestamps canonical)', () => {
    const agent = events.get('brokenUnicodeLogin')!.data.user_agent as string;
    expect(agent.startsWith('bad \ufffd')).toBe(true);
    expect(/[\uD800-\uDFFF]/u.test(agent)).toBe(false);
    expect(events.get('paymentFailedRetry')!.data.retry_at).toBe('2026-03-01T10:00:00.000Z');
  });

  it.each(CONFORMANCE_CASES.map((c) => [`${c.about}: ${c.filter}`, c] as const))('%s', (_, c) => {
    const types = c.types ? resolveTypeFilter(catalog, c.types).filter! : undefined;
    const result = resolveFilter(c.filter, catalog, types ? { types } : {});
    expect(result.errors).toBeUndefined();
    const matches = compileMatcher(result.filter!);
    expect(matches(events.get(c.event)!)).toBe(c.expected);
    // A matching event's type is among the types the filter pins (consumers route by them).
    if (c.expected) expect(result.filter!.types.has(events.get(c.event)!.type)).toBe(true);
    // The same checked form compiles for ClickHouse (test/integration/filter-conformance.test.ts runs it).
    expect(compileSql(result.filter!, columns).sql.length).toBeGreaterThan(0);
  });
});
