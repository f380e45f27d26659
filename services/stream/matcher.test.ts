import { describe, expect, it } from 'vitest';
import { eventCatalog } from '../../core/events/catalog.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { resolveTypeFilter } from '../../core/events/type-filter.js';
import { createMatcher, type ResourceValues, type Subscriber } from './matcher.js';

const catalog = eventCatalog();

function subscriber(
  name: string,
  organizationId: string,
  patterns: string[],
  resources: ResourceValues = {},
): Subscriber & { name: string } {
  return { name, organizationId, filter: resolveTypeFilter(catalog, patterns).filter!, resources };
}

function event(
  type: string,
  data: Record<string, unknown>,
  organizationId = 'org_a',
  userId: string | null = null,
): PlatformEvent {
  return {
    id: `evt_${Math.random().toString(36).slice(2)}`,
    type,
    created_at: '2026-02-21T03:27:00.123Z',
    data,
    metadata: { organization_id: organizationId, user_id: userId, request_id: null },
  };
}

describe('stream matcher', () => {
  const subscribers = [
    subscriber('all', 'org_a', []),
    subscriber('sessions', 'org_a', ['session.*']),
    subscriber('sess_123', 'org_a', ['session.*'], { session_id: 'sess_123' }),
    subscriber('completed of agent_456 in sess_123', 'org_a', ['session.completed'], {
      session_id: 'sess_123',
      agent_id: 'agent_456',
    }),
    subscriber('step prefix', 'org_a', ['session.step.*']),
    subscriber('user_9', 'org_a', ['*'], { user_id: 'user_9' }),
    subscriber('other org', 'org_b', ['*']),
  ];
  const matcher = createMatcher<(typeof subscribers)[number]>(catalog);
  subscribers.forEach((s) => {
    matcher.add(s);
  });
  const names = (e: PlatformEvent) => {
    const found: string[] = [];
    matcher.match(e, (s) => found.push(s.name));
    return found.sort();
  };

  it('finds exactly the subscribers of an event, each once', () => {
    expect(names(event('session.completed', { session_id: 'sess_123', agent_id: 'agent_456' }))).toEqual(
      ['all', 'completed of agent_456 in sess_123', 'sess_123', 'sessions'].sort(),
    );
    expect(names(event('session.completed', { session_id: 'sess_123', agent_id: 'agent_999' }))).toEqual(
      ['all', 'sess_123', 'sessions'].sort(),
    );
    expect(names(event('session.step.completed', { session_id: 'sess_1' }))).toEqual(
      ['all', 'sessions', 'step prefix'].sort(),
    );
    expect(names(event('agent.created', { agent_id: 'a' }))).toEqual(['all']);
  });

  it('matches user_id on the data, else on metadata.user_id', () => {
    expect(names(event('user.login', { user_id: 'user_9' }))).toEqual(['all', 'user_9']);
    expect(names(event('agent.created', { agent_id: 'a', created_by: 'x' }, 'org_a', 'user_9'))).toEqual([
      'all',
      'user_9',
    ]);
    expect(names(event('user.login', { user_id: 'user_1' }, 'org_a', 'user_9'))).toEqual(['all']);
  });

  it('says which organizations and types are worth decoding', () => {
    expect(matcher.wants('org_a', 'agent.created')).toBe(true); // the `*` subscriber
    expect(matcher.wants('org_c', 'session.completed')).toBe(false);
    const local = createMatcher<Subscriber>(catalog);
    local.add(subscriber('steps', 'org_x', ['session.step.*']));
    local.add(subscriber('users', 'org_x', ['user.*'], { user_id: 'u' }));
    expect(local.wants('org_x', 'session.step.completed')).toBe(true);
    expect(local.wants('org_x', 'session.completed')).toBe(false);
    expect(local.wants('org_x', 'user.login')).toBe(true);
    expect(local.wants('org_x', undefined)).toBe(true);
  });

  it('never crosses organizations', () => {
    expect(names(event('session.completed', { session_id: 'sess_123' }, 'org_b'))).toEqual(['other org']);
    expect(names(event('session.completed', { session_id: 'sess_123' }, 'org_c'))).toEqual([]);
  });

  it('agrees with the one-subscriber check used by catch-up', () => {
    const samples = [
      event('session.completed', { session_id: 'sess_123', agent_id: 'agent_456' }),
      event('session.step.completed', { session_id: 'sess_123' }),
      event('user.login', { user_id: 'user_9' }),
      event('team.task.assigned', { team_id: 't' }, 'org_b'),
    ];
    for (const sample of samples) {
      const expected = subscribers
        .filter((s) => matcher.matches(s, sample))
        .map((s) => s.name)
        .sort();
      expect(names(sample)).toEqual(expected);
    }
  });

  it('looks at the subscribers an event may match, not at all of them (cost grows with matches)', () => {
    const big = createMatcher<Subscriber & { n: number }>(catalog);
    // Every read of a subscriber's resource filters is counted: a scan of the organization's
    // 100 subscribers (or of all 10,000) would read each at least once.
    let reads = 0;
    const filter = resolveTypeFilter(catalog, ['session.*']).filter!;
    for (let n = 0; n < 10_000; n += 1) {
      const resources = { session_id: `sess_${n}` };
      big.add({
        n,
        organizationId: `org_${n % 100}`,
        filter,
        get resources() {
          reads += 1;
          return resources;
        },
      });
    }
    reads = 0;
    let visits = 0;
    big.match(event('session.completed', { session_id: 'sess_4242' }, 'org_42'), () => {
      visits += 1;
    });
    expect(visits).toBe(1);
    expect(reads).toBeLessThan(100);
  });

  it('forgets removed subscribers and empty buckets', () => {
    const local = createMatcher<(typeof subscribers)[number]>(catalog);
    subscribers.forEach((s) => {
      local.add(s);
    });
    subscribers.forEach((s) => {
      local.remove(s);
    });
    expect(local.size).toBe(0);
    let visits = 0;
    local.match(event('session.completed', { session_id: 'sess_123', agent_id: 'agent_456' }), () => {
      visits += 1;
    });
    expect(visits).toBe(0);
    // Removing some subscribers empties their buckets: the organization no longer wants that type.
    const sessions = {
      organizationId: 'org_z',
      filter: resolveTypeFilter(catalog, ['session.*']).filter!,
      resources: {},
    };
    const logins = {
      organizationId: 'org_z',
      filter: resolveTypeFilter(catalog, ['user.login']).filter!,
      resources: {},
    };
    const partial = createMatcher<Subscriber>(catalog);
    partial.add(sessions);
    partial.add(logins);
    expect(partial.wants('org_z', 'session.completed')).toBe(true);
    partial.remove(sessions);
    expect(partial.wants('org_z', 'session.completed')).toBe(false);
    expect(partial.wants('org_z', 'user.login')).toBe(true);
  });
});
