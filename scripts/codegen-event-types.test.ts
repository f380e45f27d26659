import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadEventCatalog } from '../core/events/catalog.js';
import type { TypedEvent } from '../core/events/generated/event-types.js';
import { EVENT_TYPES } from '../core/events/generated/event-types.js';
import { GENERATED_PATH, renderEventTypes } from './codegen-event-types.js';

describe('generated event types', () => {
  it('match the schemas (run `npm run codegen` after changing a schema)', () => {
    expect(readFileSync(GENERATED_PATH, 'utf8')).toBe(renderEventTypes(loadEventCatalog()));
  });

  it('list every type of the catalogue', () => {
    expect([...EVENT_TYPES]).toEqual([...loadEventCatalog().types]);
  });

  it('narrow data by type (checked by tsc)', () => {
    const describe = (event: TypedEvent): string => {
      switch (event.type) {
        case 'session.completed':
          return `${event.data.session_id} took ${event.data.duration_ms} ms`;
        case 'billing.invoice.created':
          return `${event.data.amount} ${event.data.currency}`;
        default:
          return event.type;
      }
    };
    const event = {
      id: 'evt_1',
      type: 'session.completed',
      created_at: '',
      data: { session_id: 's', agent_id: 'a', status: 'completed', steps: 1, duration_ms: 5, tokens_used: 1 },
      metadata: { organization_id: 'o', user_id: null, request_id: null },
    } as const;
    expect(describe(event)).toBe('s took 5 ms');
  });
});
