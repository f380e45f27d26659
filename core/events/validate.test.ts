import { validationCode } from '../errors/index.js';
import { describe, expect, it } from 'vitest';
import { loadEventCatalog } from './catalog.js';
import { GUIDE_EXAMPLES } from './examples.js';
import { validateEvent } from './validate.js';

const catalog = loadEventCatalog();
const options = { catalog, organizationId: 'org_1', nowMs: Date.parse('2026-02-21T03:30:00Z'), maxFutureMs: 300_000 };

describe('validateEvent', () => {
  it('accepts every example of the guide and completes the envelope', () => {
    for (const [type, data] of Object.entries(GUIDE_EXAMPLES)) {
      const result = validateEvent({ type, data }, options);
      expect(result.ok, `${type}: ${JSON.stringify(!result.ok && result.errors)}`).toBe(true);
      if (!result.ok) continue;
      expect(result.event.id).toMatch(/^evt_[0-9A-Z]{26}$/);
      expect(result.event.created_at).toBe('2026-02-21T03:30:00.000Z');
      expect(result.event.metadata).toEqual({ organization_id: 'org_1', user_id: null, request_id: null });
    }
  });

  it('has a schema for every type of the guide and the system events', () => {
    expect(catalog.types).toEqual(expect.arrayContaining(Object.keys(GUIDE_EXAMPLES)));
    expect(catalog.types.filter((type) => type.startsWith('system.'))).toHaveLength(6);
  });

  it('normalizes created_at to UTC milliseconds', () => {
    const result = validateEvent(
      { type: 'user.login', created_at: '2026-02-21T04:27:00+01:00', data: GUIDE_EXAMPLES['user.login'] },
      options,
    );
    expect(result.ok && result.event.created_at).toBe('2026-02-21T03:27:00.000Z');
  });

  it('names nested fields and array items', () => {
    const result = validateEvent(
      { type: 'agent.created', data: { ...GUIDE_EXAMPLES['agent.created'], tools: ['web_search', 7] } },
      options,
    );
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([{ field: 'data.tools.1', message: 'must be a string' }]);
  });

  it('refuses an unknown enum symbol with the allowed ones', () => {
    const result = validateEvent(
      {
        type: 'system.incident.created',
        data: { ...GUIDE_EXAMPLES['system.incident.created'], severity: 'apocalyptic' },
      },
      options,
    );
    expect(!result.ok && result.errors[0]).toEqual({
      field: 'data.severity',
      message: 'must be one of "minor", "major", "critical"',
    });
  });

  it('accepts null for nullable fields and fills defaults later', () => {
    const result = validateEvent(
      { type: 'session.step.completed', data: { ...GUIDE_EXAMPLES['session.step.completed'], tool: null } },
      options,
    );
    expect(result.ok).toBe(true);
  });

  it('marks another organization as forbidden and an unknown type as such', () => {
    const other = validateEvent(
      { type: 'user.login', data: GUIDE_EXAMPLES['user.login'], metadata: { organization_id: 'org_2' } },
      options,
    );
    expect(!other.ok && other.forbidden).toBe(true);
    const unknown = validateEvent({ type: 'user.teleported', data: {} }, options);
    expect(!unknown.ok && validationCode(unknown.errors)).toBe('unknown_event_type');
    // An unknown type beside another bad field is not only an unknown type.
    const mixed = validateEvent({ type: 'user.teleported', data: {}, priority: 1 }, options);
    expect(!mixed.ok && validationCode(mixed.errors)).toBe('invalid_request');
  });
});
