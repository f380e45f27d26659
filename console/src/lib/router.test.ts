import { describe, expect, it } from 'vitest';
import { href, parsePlace, path } from './router.js';

describe('console routes', () => {
  it('parses every page', () => {
    expect(parsePlace('').route).toEqual({ page: 'overview' });
    expect(parsePlace('#/').route).toEqual({ page: 'overview' });
    expect(parsePlace('#/live').route).toEqual({ page: 'live' });
    expect(parsePlace('#/events/evt_01ABC').route).toEqual({ page: 'event', id: 'evt_01ABC' });
    expect(parsePlace('#/sessions').route).toEqual({ page: 'sessions' });
    expect(parsePlace('#/sessions/sess%201').route).toEqual({ page: 'sessions', id: 'sess 1' });
    expect(parsePlace('#/webhooks/new').route).toEqual({ page: 'webhook-new' });
    expect(parsePlace('#/webhooks/wh_1').route).toEqual({ page: 'webhook', id: 'wh_1' });
    expect(parsePlace('#/webhooks/wh_1/edit').route).toEqual({ page: 'webhook-edit', id: 'wh_1' });
    expect(parsePlace('#/nope/x').route).toEqual({ page: 'not-found', path: '/nope/x' });
    expect(parsePlace('#/events/%E0%A4%A').route).toEqual({ page: 'event', id: '%E0%A4%A' });
  });

  it('round-trips a query through a link', () => {
    const link = href('/explorer', {
      types: 'session.*,agent.created',
      session_id: 'sess 1&x',
      empty: '',
      none: undefined,
    });
    expect(link).toBe('#/explorer?types=session.*,agent.created&session_id=sess+1%26x');
    expect(parsePlace(link)).toEqual({
      route: { page: 'explorer' },
      query: { types: 'session.*,agent.created', session_id: 'sess 1&x' },
    });
    expect(parsePlace(href('/sessions/a/b')).route).toEqual({ page: 'not-found', path: '/sessions/a/b' });
    expect(parsePlace(href(path('sessions', 'a/b?c'))).route).toEqual({ page: 'sessions', id: 'a/b?c' });
  });
});
