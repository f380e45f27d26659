import { describe, expect, it } from 'vitest';
import { loadEventCatalog } from '../events/catalog.js';
import type { PlatformEvent } from '../events/model.js';
import { RESOURCE_FILTERS, resourcesOf } from '../events/resources.js';
import { storedConformanceEvents } from './conformance-cases.js';
import { compileMatcher, resolveFilter } from './index.js';
import { FILTER_LIMITS } from './limits.js';

const catalog = loadEventCatalog();
const events = storedConformanceEvents(catalog);

function matcher(text: string): (event: PlatformEvent) => boolean {
  const result = resolveFilter(text, catalog);
  expect(result.errors, text).toBeUndefined();
  return compileMatcher(result.filter!);
}

describe('compileMatcher', () => {
  it("reads resource ids by history's rule (resourcesOf) on every event", () => {
    for (const [name, event] of events) {
      const values = resourcesOf(event);
      for (const resource of RESOURCE_FILTERS) {
        const value = values[resource];
        // Every type that can carry the id: user_id always, the others where the schema has the field.
        const present = resolveFilter(`${resource}:*`, catalog).filter!;
        expect(compileMatcher(present)(event), `${name} ${resource}:*`).toBe(value !== undefined);
        if (value !== undefined) expect(matcher(`${resource} = ${JSON.stringify(value)}`)(event)).toBe(true);
      }
    }
  });

  it('does not read inherited properties or array indexes as fields', () => {
    const event = events.get('agentUpdated')!;
    expect(matcher('data.changes.toString:*')(event)).toBe(false);
    expect(matcher('data.changes : "hasOwnProperty"')(event)).toBe(false);
    expect(matcher('data.changes.tags.old.0:*')(event)).toBe(false);
    expect(matcher('data.changes.tags.old:*')(event)).toBe(true);
  });

  it('evaluates the largest filters in time linear in their size', () => {
    const event = events.get('completedBig')!;
    // 64 comparisons, the first 63 false: every one is evaluated.
    const terms = Array.from({ length: FILTER_LIMITS.maxTerms - 1 }, (_, i) => `data.steps = ${1000 + i}`);
    const widest = matcher(
      `${terms.join(' OR ')} OR data.status IN (${Array.from({ length: 100 }, (_, i) => `"s${i}*"`).join(', ')})`,
    );
    expect(widest(event)).toBe(false);
    const started = performance.now();
    for (let i = 0; i < 20_000; i += 1) widest(event);
    // About 64 + 100 small steps per event: far under this bound even on a loaded machine.
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
