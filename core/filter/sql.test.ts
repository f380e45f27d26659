import { describe, expect, it } from 'vitest';
import { loadEventCatalog } from '../events/catalog.js';
import { resolveTypeFilter } from '../events/type-filter.js';
import type { CheckedFilter } from './checked.js';
import { CONFORMANCE_CASES, CONFORMANCE_COLUMNS } from './conformance-cases.js';
import { compileSql, resolveFilter } from './index.js';

const catalog = loadEventCatalog();
const columns = CONFORMANCE_COLUMNS;

function checked(text: string, types?: string[]): CheckedFilter {
  const result = resolveFilter(text, catalog, types ? { types: resolveTypeFilter(catalog, types).filter! } : {});
  expect(result.errors, text).toBeUndefined();
  return result.filter!;
}

/** Every single-quoted literal of the SQL text. */
function literals(sql: string): string[] {
  return [...sql.matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((match) => match[1]!);
}

const SCHEMA_NAMES = new Set(
  catalog.entries().flatMap((entry) => JSON.stringify(entry.schema).match(/"name":"[A-Za-z_][A-Za-z0-9_]*"/g) ?? []),
);
const OUR_WORDS = new Set(['Null', 'String', 'Int64', 'UInt64', 'Double', 'Bool', 'Array(String)', 'data', '']);

describe('compileSql', () => {
  it("compiles the issue's examples", () => {
    expect(compileSql(checked('type = "session.failed" AND data.error_code = "rate_limited"'), columns)).toEqual({
      sql: "(`type` = {p0:String} AND JSONExtractString(`data`, 'error_code') = {p1:String})",
      params: { p0: { type: 'String', value: 'session.failed' }, p1: { type: 'String', value: 'rate_limited' } },
    });
    expect(compileSql(checked('type = "session.completed" AND data.tokens_used >= 100000'), columns)).toEqual({
      sql: "(`type` = {p0:String} AND JSONExtractInt(`data`, 'tokens_used') >= {p1:Int64})",
      params: { p0: { type: 'String', value: 'session.completed' }, p1: { type: 'Int64', value: 100000 } },
    });
  });

  it('never writes a value into the SQL text: only schema names and its own words are quoted', () => {
    for (const c of CONFORMANCE_CASES) {
      const types = c.types ? resolveTypeFilter(catalog, c.types).filter! : undefined;
      const filter = resolveFilter(c.filter, catalog, types ? { types } : {}).filter!;
      const { sql, params } = compileSql(filter, columns);
      for (const literal of literals(sql))
        expect(OUR_WORDS.has(literal) || SCHEMA_NAMES.has(`"name":"${literal}"`), `${literal} in ${sql}`).toBe(true);
      // Each parameter is used, and each placeholder has its parameter.
      const placeholders = new Set([...sql.matchAll(/\{(\w+):([^}]+)\}/g)].map((match) => `${match[1]}:${match[2]}`));
      expect(placeholders).toEqual(new Set(Object.entries(params).map(([name, param]) => `${name}:${param.type}`)));
    }
  });

  it('sends hostile text, map keys and prefixes as parameters', () => {
    const hostile = `x'); DROP TABLE events; --\\ {p1:String} %_`;
    const quoted = JSON.stringify(hostile);
    const { sql, params } = compileSql(
      checked(
        `agent_id = ${quoted} OR data.changes.${quoted}.new = ${quoted} OR data.tools : ${quoted.slice(0, -1)}*" OR data.changes : ${quoted}`,
      ),
      columns,
    );
    expect(sql).not.toContain('DROP');
    // The id, the map key (once, for both reads of the field), the value, the prefix, the key tested with :.
    expect(Object.values(params)).toEqual(Array.from({ length: 5 }, () => ({ type: 'String', value: hostile })));
  });

  it('types every parameter by its field', () => {
    const { params } = compileSql(
      checked(
        'data.steps IN (1, 2) OR data.price > 1.5 OR data.permanent = false OR data.error_code IN ("a", "b") OR data.starts_at < "2026-01-01T00:00:00Z" OR data.changes.x.new IN (1, 2)',
      ),
      columns,
    );
    expect(Object.values(params)).toEqual([
      { type: 'Array(Int64)', value: [1, 2] },
      { type: 'Float64', value: 1.5 },
      { type: 'UInt8', value: 0 },
      { type: 'Array(String)', value: ['a', 'b'] },
      { type: 'String', value: '2026-01-01T00:00:00.000Z' },
      { type: 'String', value: 'x' },
      { type: 'Array(Float64)', value: [1, 2] },
    ]);
  });

  it('checks the kind of a field only where a missing field would otherwise pass', () => {
    const guarded = (text: string) => compileSql(checked(text), columns).sql.includes('JSONType');
    expect(guarded('data.steps > 3')).toBe(false);
    expect(guarded('data.step_number < 1000')).toBe(true); // a missing field reads as 0
    expect(guarded('data.steps IN (1, 2)')).toBe(false);
    expect(guarded('data.steps IN (0, 2)')).toBe(true);
    expect(guarded('data.error_code = "x"')).toBe(false);
    expect(guarded('data.error_code IN ("x", "")')).toBe(true); // a missing field reads as ''
    expect(guarded('data.starts_at > "2026-01-01T00:00:00Z"')).toBe(false);
    expect(guarded('data.starts_at <= "2026-01-01T00:00:00Z"')).toBe(true);
    expect(guarded('data.permanent = true')).toBe(false);
    expect(guarded('data.permanent = false')).toBe(true);
    // In a field of any JSON, the other kinds read as text or numbers too.
    expect(guarded('data.changes.x.new = "a"')).toBe(true);
    expect(guarded('data.changes.x.new = 3')).toBe(true);
    expect(guarded('data.changes.x.new = true')).toBe(true);
  });

  it('reads data inside a whole-event column with dataKeys', () => {
    const { sql } = compileSql(checked('data.tool:*'), { ...columns, data: 'events.payload', dataKeys: ['data'] });
    expect(sql).toBe("(JSONType(`events`.`payload`, 'data', 'tool') != 'Null')");
  });

  it('names its parameters with the given prefix', () => {
    const { sql, params } = compileSql(checked('session_id = "s"'), columns, { paramPrefix: 'filter_' });
    expect(sql).toBe('(`session_id` = {filter_0:String})');
    expect(Object.keys(params)).toEqual(['filter_0']);
  });

  it('refuses column names, data keys and prefixes that are not plain identifiers', () => {
    const filter = checked('data.tool:*');
    expect(() => compileSql(filter, { ...columns, data: 'data) OR (1' })).toThrow(/column data/);
    expect(() => compileSql(filter, { ...columns, type: '`type`' })).toThrow(/column type/);
    expect(() => compileSql(filter, { ...columns, dataKeys: ["data', 'x"] })).toThrow(/data key/);
    expect(() => compileSql(filter, columns, { paramPrefix: 'p}' })).toThrow(/parameter prefix/);
  });

  it('compiles the empty filter and the request types', () => {
    expect(compileSql(checked(''), columns)).toEqual({ sql: 'true', params: {} });
    expect(compileSql(checked('', ['agent.created', 'agent.deleted']), columns)).toEqual({
      sql: '(`type` IN {p0:Array(String)})',
      params: { p0: { type: 'Array(String)', value: ['agent.created', 'agent.deleted'] } },
    });
  });
});
