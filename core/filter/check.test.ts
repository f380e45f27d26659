import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEventCatalog } from '../events/catalog.js';
import { resolveTypeFilter } from '../events/type-filter.js';
import { type CheckFilterOptions, checkFilter } from './check.js';
import type { CheckedFilter, CheckedNode } from './checked.js';
import { parseFilter } from './parse.js';

const catalog = loadEventCatalog();

function resolveFilter(text: string, _catalog: typeof catalog, options: CheckFilterOptions) {
  return checkFilter(parseFilter(text).ast!, catalog, options);
}

function checked(text: string, types?: string[]): CheckedFilter {
  const result = resolveFilter(text, catalog, types ? { types: resolveTypeFilter(catalog, types).filter! } : {});
  expect(result.errors, text).toBeUndefined();
  return result.filter!;
}

function errors(text: string, types?: string[]): string[] {
  const result = resolveFilter(text, catalog, types ? { types: resolveTypeFilter(catalog, types).filter! } : {});
  expect(result.filter, text).toBeUndefined();
  for (const detail of result.errors!) expect(detail.field).toBe('filter');
  return result.errors!.map((detail) => detail.message);
}

const root = (text: string, types?: string[]): CheckedNode => checked(text, types).root;

describe('checkFilter', () => {
  it("writes the issue's examples, and pins their types", () => {
    const failed = checked('type = "session.failed" AND data.error_code = "rate_limited"');
    expect([...failed.types]).toEqual(['session.failed']);
    expect(failed.root).toEqual({
      kind: 'and',
      children: [
        { kind: 'type', types: new Set(['session.failed']) },
        {
          kind: 'data',
          path: { text: 'data.error_code', keys: ['error_code'], userKeys: [false] },
          test: { op: 'text', match: { exact: ['rate_limited'], prefixes: [] }, json: false },
        },
      ],
    });
    const completed = checked('type = "session.completed" AND data.tokens_used >= 100000');
    expect([...completed.types]).toEqual(['session.completed']);
    expect(completed.root).toMatchObject({
      children: [{}, { test: { op: 'numberOrder', numbers: 'int', ordering: '>=', value: 100000 } }],
    });
  });

  it('narrows the types by the fields a comparison needs', () => {
    expect([...checked('data.error_code = "rate_limited"').types]).toEqual(['session.failed']);
    expect(checked('data.tokens_used >= 100000').allTypes).toBe(false);
    expect([...checked('type = "session.*" AND data.step_number:*').types]).toEqual([
      'session.failed',
      'session.step.completed',
    ]);
    // NOT and != can match events without the field: every type stays possible.
    expect(checked('NOT data.error_code = "x"').allTypes).toBe(true);
    expect(checked('data.error_code != "x"').allTypes).toBe(true);
    expect([...checked('type = "session.*" AND -type = "session.step.completed"').types]).toEqual([
      'session.completed',
      'session.failed',
      'session.started',
    ]);
  });

  describe('type', () => {
    it('resolves exact types and prefixes (wildcards) against the catalogue', () => {
      expect(root('type = "session.*"')).toEqual({
        kind: 'type',
        types: new Set(['session.completed', 'session.failed', 'session.started', 'session.step.completed']),
      });
      expect(root('type IN (agent.created, "billing.payment.*")')).toEqual({
        kind: 'type',
        types: new Set(['agent.created', 'billing.payment.failed', 'billing.payment.succeeded']),
      });
      expect(root('type != "session.started"')).toEqual({
        kind: 'not',
        child: { kind: 'type', types: new Set(['session.started']) },
      });
    });

    it('refuses unknown types, prefixes matching none, and other operators', () => {
      expect(errors('type = "session.exploded"')).toEqual(['column 8: unknown event type "session.exploded"']);
      expect(errors('type = "nope.*"')).toEqual(['column 8: no event type starts with "nope."']);
      expect(errors('type > "a"')).toEqual(['column 1: type takes =, != or IN (e.g. type = "session.*"), not >']);
      expect(errors('type = 3')).toEqual(['column 8: an event type is text: put it in quotes, e.g. "session.failed"']);
    });

    it('refuses conditions on type that select nothing together', () => {
      expect(errors('type = "agent.created" AND type = "agent.deleted"')[0]).toMatch(
        /^column 1: these conditions on type select no event type together/,
      );
    });
  });

  describe('the request types', () => {
    it('are the scope of the fields, and part of the checked filter', () => {
      const filter = checked('data.error_code = "rate_limited"', ['session.*']);
      expect(filter.root).toMatchObject({
        kind: 'and',
        children: [
          {
            kind: 'type',
            types: new Set(['session.completed', 'session.failed', 'session.started', 'session.step.completed']),
          },
          { kind: 'data' },
        ],
      });
      expect([...filter.types]).toEqual(['session.failed']);
      expect(checked('', ['agent.created']).root).toEqual({ kind: 'type', types: new Set(['agent.created']) });
      expect(checked('', ['*']).root).toEqual({ kind: 'all' });
    });

    it('make fields of other types unknown', () => {
      expect(errors('data.tokens_used > 5', ['agent.*'])).toEqual([
        'column 1: data.tokens_used is not a field of agent.created, agent.deleted, agent.published, agent.updated',
      ]);
      expect(errors('type = "agent.created"', ['session.*'])).toEqual([
        'column 1: the filter matches no event of the selected types (session.completed, session.failed, session.started, session.step.completed)',
      ]);
    });
  });

  describe('resource ids', () => {
    it('compare as text with =, !=, IN, prefixes and :*', () => {
      expect(root('agent_id = "agent_1"')).toEqual({
        kind: 'resource',
        name: 'agent_id',
        test: { op: 'text', match: { exact: ['agent_1'], prefixes: [] } },
      });
      expect(root('session_id IN ("sess_1", sess_2*)')).toMatchObject({
        test: { match: { exact: ['sess_1'], prefixes: ['sess_2'] } },
      });
      expect(root('user_id:*')).toEqual({ kind: 'resource', name: 'user_id', test: { op: 'present' } });
      expect(root('team_id != "team_1"')).toMatchObject({ kind: 'not', child: { kind: 'resource' } });
    });

    it('pin the types that carry them (user_id: every type, through metadata)', () => {
      expect([...checked('team_id = "t"').types].sort()).toEqual(
        ['team.execution.completed', 'team.task.assigned', 'team.task.completed'].sort(),
      );
      expect(checked('user_id = "u"').allTypes).toBe(true);
    });

    it('pin exact ids joined by AND at the top, for routing', () => {
      expect(checked('session_id = "sess_1" AND data.steps > 3 AND agent_id = "ag"').resources).toEqual({
        session_id: 'sess_1',
        agent_id: 'ag',
      });
      expect(checked('session_id = "sess_1" OR agent_id = "ag"').resources).toEqual({});
      expect(checked('session_id IN ("a", "b")').resources).toEqual({});
      expect(checked('session_id = "a*"').resources).toEqual({});
    });

    it('refuses empty ids, orderings, values that are not text, and types without the field', () => {
      expect(errors('agent_id = ""')).toEqual([
        'column 12: ids are never empty: use NOT agent_id:* for events without one',
      ]);
      expect(errors('agent_id = "*"')).toEqual(['column 12: use agent_id:* for events that have one']);
      expect(errors('agent_id > "a"')).toEqual(['column 1: agent_id takes =, !=, IN or :* (ids have no order), not >']);
      expect(errors('agent_id = 12')).toEqual(['column 12: agent_id is an id: put the value in quotes']);
      expect(errors('agent_id : "x"')).toEqual([
        'column 1: agent_id:* tests that the event has one; to compare, use = or IN',
      ]);
      expect(errors('team_id = "t"', ['billing.*'])).toEqual([
        'column 1: team_id is not a field of billing.invoice.created, billing.payment.failed, billing.payment.succeeded',
      ]);
    });
  });

  describe('data fields', () => {
    it('refuses unknown fields, naming the field and the types looked in', () => {
      expect(errors('data.error_cod = "x"')).toEqual(['column 1: data.error_cod is not a field of any event type']);
      expect(errors('type = "session.completed" AND data.error_code = "x"')).toEqual([
        'column 32: data.error_code is not a field of session.completed',
      ]);
      expect(errors('(type = "session.failed" AND data.tokens_used > 1) OR data.nope:*')).toEqual([
        'column 30: data.tokens_used is not a field of session.failed',
        'column 55: data.nope is not a field of any event type',
      ]);
      expect(errors('data = 1')).toEqual(['column 1: name a field of data, e.g. data.status']);
      expect(errors('status = 1')).toEqual([
        'column 1: unknown field status: a filter names type, session_id, agent_id, team_id, user_id or data.<field>',
      ]);
    });

    it('refuses conditions that no single type can satisfy together', () => {
      expect(errors('data.error_code = "x" AND data.tokens_used > 1')).toEqual([
        'column 1: no event type can satisfy these conditions together: data.error_code (session.failed); data.tokens_used (session.completed)',
      ]);
    });

    it('refuses values of the wrong kind, naming the field', () => {
      expect(errors('data.tokens_used = "100"')).toEqual([
        'column 20: data.tokens_used is a whole number: write a number without quotes, e.g. data.tokens_used >= 100',
      ]);
      expect(errors('data.error_code = 5')).toEqual(['column 19: data.error_code is text: put the value in quotes']);
      expect(errors('data.permanent < true')).toEqual([
        'column 18: data.permanent is true or false: < compares numbers, timestamps and dates',
      ]);
      expect(errors('data.permanent = "yes"')).toEqual([
        'column 18: data.permanent is true or false: write true or false without quotes',
      ]);
      expect(errors('data.error_code > "a"')).toEqual([
        'column 19: data.error_code is text: > compares numbers, timestamps and dates',
      ]);
      expect(errors('data.severity = "bogus"')).toEqual([
        'column 17: data.severity is one of "minor", "major", "critical", not "bogus"',
      ]);
      expect(errors('data.error_code = "*"')).toEqual([
        'column 19: data.error_code is text: use data.error_code:* to test that it is there',
      ]);
    });

    it('compares timestamps as instants, in the canonical text events carry', () => {
      expect(root('data.starts_at > "2026-03-01T02:00:00+02:00"')).toMatchObject({
        test: { op: 'textOrder', ordering: '>', value: '2026-03-01T00:00:00.000Z' },
      });
      expect(root('data.retry_at = "2026-03-01T00:00:00.5Z"')).toMatchObject({
        test: { op: 'text', match: { exact: ['2026-03-01T00:00:00.500Z'] } },
      });
      expect(root('data.period_start >= "2026-02-01"')).toMatchObject({
        test: { op: 'textOrder', value: '2026-02-01' },
      });
      expect(errors('data.starts_at > "yesterday"')).toEqual([
        'column 18: data.starts_at is a timestamp: write an RFC 3339 timestamp in quotes, e.g. "2026-03-01T00:00:00Z"',
      ]);
      expect(errors('data.starts_at > 1767225600000')[0]).toMatch(/^column 18: data.starts_at is a timestamp/);
      expect(errors('data.starts_at = "2026-03*"')[0]).toMatch(/^column 18: data.starts_at is a timestamp/);
      expect(errors('data.period_start = "2026-02-30"')[0]).toMatch(/^column 21: data.period_start is a date/);
    });

    it('compares whole-number fields exactly, whatever the literal', () => {
      const order = (text: string) => (root(text) as { test: unknown }).test;
      expect(order('data.steps > 2.5')).toEqual({ op: 'numberOrder', numbers: 'int', ordering: '>=', value: 3 });
      expect(order('data.steps > 2')).toMatchObject({ ordering: '>=', value: 3 });
      expect(order('data.steps < 2.5')).toMatchObject({ ordering: '<=', value: 2 });
      expect(order('data.steps <= -2.5')).toMatchObject({ ordering: '<=', value: -3 });
      expect(order('data.steps >= 25e-1')).toMatchObject({ ordering: '>=', value: 3 });
      expect(order('data.tokens_used < 1e30')).toMatchObject({ ordering: '<=', value: 2 ** 53 - 1 });
      expect(order('data.tokens_used > 9007199254740993')).toMatchObject({ ordering: '>=', value: 2 ** 53 });
      expect(order('data.steps IN (1, 2e0, 30)')).toEqual({ op: 'number', numbers: 'int', values: [1, 2, 30] });
      expect(errors('data.steps = 2.5')).toEqual([
        'column 14: data.steps holds whole numbers between -9007199254740991 and 9007199254740991: 2.5 is not one',
      ]);
      expect(errors('data.steps = 9007199254740993')[0]).toMatch(/9007199254740993 is not one$/);
    });

    it('compares number fields as 64-bit floats', () => {
      expect(root('data.amount > 49.99')).toMatchObject({
        test: { op: 'numberOrder', numbers: 'float', ordering: '>', value: 49.99 },
      });
      expect(errors('data.amount > 1e400')).toEqual(['column 15: 1e400 is out of range for data.amount']);
    });

    it('tests arrays of text with : (contains, or an element with a prefix)', () => {
      expect(root('data.tools : "web_search"')).toMatchObject({
        test: { op: 'contains', match: { exact: ['web_search'], prefixes: [] } },
      });
      expect(root('data.components : "api*"')).toMatchObject({ test: { match: { prefixes: ['api'] } } });
      expect(errors('data.tools = "web_search"')).toEqual([
        'column 14: data.tools is an array: test its elements with data.tools : "value"',
      ]);
      expect(errors('data.tools : 3')).toEqual([
        'column 14: data.tools is an array: its elements are text: put the value in quotes',
      ]);
    });

    it('reads maps by key (nested record fields with dots), and tests keys with :', () => {
      expect(root('data.changes.name.new = "Bot"')).toMatchObject({
        path: { keys: ['changes', 'name', 'new'], userKeys: [false, true, false] },
        test: { op: 'text' },
      });
      expect(root('data.changes : "name"')).toMatchObject({ test: { op: 'hasKey', key: 'name' } });
      expect(root('data.changes."max.steps".new:*')).toMatchObject({ path: { keys: ['changes', 'max.steps', 'new'] } });
      expect(errors('data.changes.name.newer = 1')).toEqual([
        'column 1: data.changes.name.newer is not a field of any event type',
      ]);
      expect(errors('data.changes = "x"')[0]).toMatch(
        /^column 16: data.changes is an object: compare one of its fields/,
      );
      expect(errors('data.error_code : "x"')).toEqual([
        "column 19: data.error_code is text: : with a value tests an array's elements or an object's keys; use = to compare",
      ]);
    });

    it('compares fields of any JSON by the kind of the value, refusing what history could not tell apart', () => {
      expect(root('data.changes.name.new IN ("Bot", 3, true)')).toMatchObject({
        kind: 'or',
        children: [
          { test: { op: 'text', match: { exact: ['Bot'] } } },
          { test: { op: 'number', numbers: 'json', values: [3] } },
          { test: { op: 'boolean', value: true } },
        ],
      });
      expect(errors('data.changes.x.new > 3')[0]).toMatch(
        /is any JSON value: > compares numbers, timestamps and dates$/,
      );
      expect(errors('data.changes.x.new = 1e19')[0]).toMatch(/numbers there are compared up to ±2\^63$/);
      expect(errors('data.changes.x.new = "12345678901234567890"')[0]).toMatch(/text of 19 or more digits cannot/);
      expect(errors('data.changes.x.new = "12*"')[0]).toMatch(/text of digits with \* cannot/);
      expect(root('data.changes.x.new = "gpt-*"')).toMatchObject({ test: { match: { prefixes: ['gpt-'] } } });
    });

    it('turns != into NOT of =, and collapses double negation', () => {
      expect(root('data.error_code != "x"')).toMatchObject({ kind: 'not', child: { kind: 'data' } });
      expect(root('NOT (NOT data.error_code = "x")')).toMatchObject({ kind: 'data' });
      expect(root('data.steps = 1 AND (data.steps = 2 AND data.steps = 3)')).toMatchObject({
        kind: 'and',
        children: [{}, {}, {}],
      });
    });
  });

  describe('a field of different kinds in different types', () => {
    // A catalogue of three types whose data.x is text, a long and a double.
    const dir = mkdtempSync(join(tmpdir(), 'rg-filter-schemas-'));
    mkdirSync(join(dir, 'session'));
    for (const [name, type] of [
      ['a', 'string'],
      ['b', 'long'],
      ['c', 'double'],
    ] as const)
      writeFileSync(
        join(dir, 'session', `session.${name}.avsc`),
        JSON.stringify({
          type: 'record',
          name: `Session${name.toUpperCase()}`,
          namespace: 'test',
          'x-event-type': `session.${name}`,
          'x-resource-key': 'session_id',
          fields: [
            {
              name: 'data',
              type: {
                type: 'record',
                name: `Data${name}`,
                fields: [
                  { name: 'session_id', type: 'string' },
                  { name: 'x', type },
                ],
              },
            },
          ],
        }),
      );
    const mixed = loadEventCatalog(dir);
    const check = (text: string) => checkFilter(parseFilter(text).ast!, mixed);

    it('is refused until the types are narrowed', () => {
      expect(check('data.x = 1').errors!.map((e) => e.message)).toEqual([
        'column 1: data.x holds different kinds of values in the selected types (text in session.a; a whole number in session.b; a number in session.c): narrow them with type = …',
      ]);
      expect(check('type = "session.a" AND data.x = "s"').errors).toBeUndefined();
      expect(check('data.x:*').errors).toBeUndefined();
    });

    it('compares whole numbers and floats together as floats', () => {
      expect(check('type IN ("session.b", "session.c") AND data.x > 1.5').filter!.root).toMatchObject({
        children: [{}, { test: { op: 'numberOrder', numbers: 'float', ordering: '>', value: 1.5 } }],
      });
    });
  });

  it('collects every error of a filter', () => {
    expect(errors('data.nope = 1 OR data.tokens_used = "x" OR type = "x.y"')).toHaveLength(3);
  });
});
