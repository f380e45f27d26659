import { describe, expect, it } from 'vitest';
import type { FilterNode, Restriction } from './ast.js';
import { FILTER_LIMITS } from './limits.js';
import { parseFilter } from './parse.js';

function parsed(text: string): FilterNode {
  const result = parseFilter(text);
  expect(result.errors, text).toBeUndefined();
  return result.ast!.root;
}

/** The one error message of a filter that does not parse. */
function error(text: string): string {
  const result = parseFilter(text);
  expect(result.ast, text).toBeUndefined();
  expect(result.errors).toHaveLength(1);
  expect(result.errors![0]!.field).toBe('filter');
  return result.errors![0]!.message;
}

describe('parseFilter', () => {
  it('reads a comparison: field path, operator and value', () => {
    const node = parsed('data.error_code = "rate_limited"') as Restriction;
    expect(node).toMatchObject({
      kind: 'restriction',
      op: '=',
      field: { segments: ['data', 'error_code'], text: 'data.error_code', start: 0 },
      values: [{ kind: 'string', value: 'rate_limited', prefix: false, start: 18 }],
    });
  });

  it('reads every operator, IN lists and has', () => {
    for (const op of ['=', '!=', '<', '<=', '>', '>=', ':'])
      expect((parsed(`data.steps ${op} 3`) as Restriction).op).toBe(op);
    const list = parsed('data.tool IN ("web_search", browse, 3, true)') as Restriction;
    expect(list.op).toBe('in');
    expect(list.values.map((v) => v.kind)).toEqual(['string', 'string', 'number', 'boolean']);
    expect((parsed('data.tool:*') as Restriction).values).toEqual([{ kind: 'any', start: 10 }]);
    expect((parsed('data.tools : "web_search"') as Restriction).values[0]).toMatchObject({ value: 'web_search' });
  });

  it('reads values: quoted (both quotes), bare words, numbers, booleans, trailing * as a prefix', () => {
    const value = (text: string) => (parsed(`data.x = ${text}`) as Restriction).values[0];
    expect(value(`'single "quoted"'`)).toMatchObject({ kind: 'string', value: 'single "quoted"' });
    expect(value('session.failed')).toMatchObject({ kind: 'string', value: 'session.failed', prefix: false });
    expect(value('session.*')).toMatchObject({ kind: 'string', value: 'session.', prefix: true });
    expect(value('"web_*"')).toMatchObject({ kind: 'string', value: 'web_', prefix: true });
    expect(value('"literal \\*"')).toMatchObject({ kind: 'string', value: 'literal *', prefix: false });
    expect(value('-12.5e3')).toMatchObject({ kind: 'number', text: '-12.5e3' });
    expect(value('false')).toMatchObject({ kind: 'boolean', value: false });
    expect(value('"true"')).toMatchObject({ kind: 'string', value: 'true' });
  });

  it('unescapes quoted strings, and keeps hostile characters as plain text', () => {
    const value = (text: string) => ((parsed(`data.x = ${text}`) as Restriction).values[0] as { value: string }).value;
    expect(value('"a\\"b\\\\c\\n\\t\\r\\u00e9\\ud83d\\ude00"')).toBe('a"b\\c\n\t\ré😀');
    expect(value(`"'; DROP TABLE events; --"`)).toBe("'; DROP TABLE events; --");
    expect(value('"100% _match_"')).toBe('100% _match_');
    expect(value('"nul\u0000byte"')).toBe('nul\u0000byte');
  });

  it('reads quoted path segments (map keys with any character)', () => {
    const node = parsed('data.changes."max.steps".new = 3') as Restriction;
    expect(node.field.segments).toEqual(['data', 'changes', 'max.steps', 'new']);
    expect((parsed('data.changes.max-steps.new:*') as Restriction).field.segments[2]).toBe('max-steps');
  });

  it('builds AND, OR, NOT and - with parentheses', () => {
    expect(parsed('a = 1 AND b = 2 AND c = 3')).toMatchObject({ kind: 'and', children: [{}, {}, {}] });
    expect(parsed('a = 1 OR b = 2')).toMatchObject({ kind: 'or' });
    expect(parsed('NOT a = 1')).toMatchObject({ kind: 'not', child: { kind: 'restriction' } });
    expect(parsed('-a:*')).toMatchObject({ kind: 'not', child: { kind: 'restriction', op: ':' } });
    expect(parsed('(a = 1 OR b = 2) AND NOT (c = 3 AND d = 4)')).toMatchObject({
      kind: 'and',
      children: [{ kind: 'or' }, { kind: 'not', child: { kind: 'and' } }],
    });
    expect(parsed('a = -5')).toMatchObject({ values: [{ kind: 'number', text: '-5' }] });
  });

  it('takes an empty or blank filter as every event', () => {
    expect(parsed('')).toEqual({ kind: 'all', start: 0 });
    expect(parsed('  \n\t')).toMatchObject({ kind: 'all' });
  });

  it('refuses AND and OR mixed without parentheses (AIP-160 and SQL disagree on which binds first)', () => {
    expect(error('a = 1 AND b = 2 OR c = 3')).toBe(
      'column 17: OR after AND: put parentheses around the part that goes together, e.g. (a AND b) OR c',
    );
    expect(error('a = 1 OR b = 2 AND c = 3')).toMatch(/^column 16: AND after OR/);
  });

  it('names the column of malformed input', () => {
    expect(error('data.x = ')).toBe('column 8: expected a value after =');
    expect(error('(data.x = 1')).toBe('column 1: unbalanced "(": no ")" closes it');
    expect(error('data.x = 1)')).toBe('column 11: unbalanced ")": no "(" opens it');
    expect(error('data.x = "abc')).toBe('column 10: unterminated string: no closing "');
    expect(error('data.x = 1 data.y = 2')).toBe('column 12: expected AND, OR or the end of the filter, found "data.y"');
    expect(error('data.x == 1')).toBe('column 8: use = to compare (not ==)');
    expect(error('data.x = 1 && data.y = 2')).toBe('column 12: use AND (not &&)');
    expect(error('data.x = 1 and data.y = 2')).toBe('column 12: keywords are upper case: write AND');
    expect(error('data.x LIKE "a%"')).toMatch(/^column 8: LIKE is not supported/);
    expect(error('data.x ? 1')).toMatch(/^column 8: expected an operator \(=, !=, <, <=, >, >=, :, IN\) after data.x/);
    expect(error('"x" = data.x')).toMatch(
      /^column 1: expected a field, found the string "x": the field goes on the left/,
    );
    expect(error('data.x = 12abc')).toBe('column 10: "12abc" is not a number: put text in quotes');
    expect(error('data.x = "\\q"')).toMatch(/^column 11: unknown escape \\q/);
    expect(error('data.x = "\\u12"')).toBe('column 11: \\u needs four hexadecimal digits');
    expect(error('data.x IN ()')).toBe('column 12: IN needs at least one value');
    expect(error('data.x IN ("a" "b")')).toBe('column 16: expected "," or ")" in the IN list, found the string "b"');
    expect(error('data.x IN "a"')).toMatch(/^column 11: expected "\(" after IN/);
    expect(error('NOT NOT a = 1')).toMatch(/^column 5: a second NOT needs parentheses/);
    expect(error('()')).toBe('column 2: empty parentheses');
    expect(error('data. = 1')).toMatch(/^column 6: expected a field name after "."/);
    expect(error('data.x = AND')).toBe('column 10: expected a value, found AND');
  });

  it('counts columns in characters, not UTF-16 units', () => {
    expect(error('data.x = "😀😀" data.y')).toBe(
      'column 15: expected AND, OR or the end of the filter, found "data.y"',
    );
  });

  it('refuses regular expressions and wildcards other than a trailing *', () => {
    expect(error('data.x =~ "^a.*"')).toMatch(/^column 8: regular expressions are not supported/);
    expect(error('data.x ~ "a"')).toMatch(/^column 8: regular expressions are not supported/);
    expect(error('data.x = /abc/')).toMatch(/^column 10: regular expressions are not supported/);
    expect(error('data.x = "*abc"')).toBe(
      'column 11: a * is a wildcard only at the end of a value; write \\* for a literal *',
    );
    expect(error('data.x = "a*c"')).toMatch(/^column 12: a \* is a wildcard only at the end/);
    expect(error('data.x = *')).toMatch(/^column 10: a lone \* is only allowed as field:\*/);
  });

  it('refuses strings that are not valid Unicode', () => {
    expect(error('data.x = "\\ud800"')).toMatch(/^column 10: the string is not valid Unicode/);
  });

  describe('limits', () => {
    it('refuses a filter longer than maxLength, naming the column where it overflows', () => {
      const long = `data.x = "${'a'.repeat(FILTER_LIMITS.maxLength)}"`;
      expect(error(long)).toBe(`column ${FILTER_LIMITS.maxLength + 1}: the filter is longer than 4096 characters`);
      const atLimit = `data.x = "${'a'.repeat(FILTER_LIMITS.maxStringLength)}"`;
      expect(atLimit.length).toBeLessThanOrEqual(FILTER_LIMITS.maxLength);
      parsed(atLimit);
    });

    it('refuses nesting deeper than maxDepth', () => {
      const nest = (levels: number) => `${'('.repeat(levels)}a = 1${')'.repeat(levels)}`;
      parsed(nest(FILTER_LIMITS.maxDepth));
      expect(error(nest(FILTER_LIMITS.maxDepth + 1))).toBe(
        `column ${FILTER_LIMITS.maxDepth + 1}: nested too deeply: at most 16 levels of parentheses and NOT`,
      );
      const nots = (levels: number) => `${'NOT ('.repeat(levels)}a = 1${')'.repeat(levels)}`;
      parsed(nots(FILTER_LIMITS.maxDepth / 2));
      expect(error(nots(FILTER_LIMITS.maxDepth / 2 + 1))).toMatch(/nested too deeply/);
    });

    it('refuses more than maxTerms comparisons', () => {
      const terms = (n: number) => Array.from({ length: n }, (_, i) => `data.x = ${i}`).join(' OR ');
      parsed(terms(FILTER_LIMITS.maxTerms));
      const message = error(terms(FILTER_LIMITS.maxTerms + 1));
      expect(message).toBe(
        `column ${terms(FILTER_LIMITS.maxTerms).length + 5}: more than 64 comparisons in one filter`,
      );
    });

    it('refuses IN lists, values and paths over their limits', () => {
      const list = (n: number) => `data.x IN (${Array.from({ length: n }, (_, i) => i).join(',')})`;
      parsed(list(FILTER_LIMITS.maxListValues));
      expect(error(list(FILTER_LIMITS.maxListValues + 1))).toMatch(/an IN list has at most 100 values/);
      expect(error(`data.x = "${'a'.repeat(FILTER_LIMITS.maxStringLength + 1)}"`)).toBe(
        'column 10: a value has at most 1024 characters',
      );
      expect(error(`data.x = ${'a'.repeat(FILTER_LIMITS.maxStringLength + 1)}`)).toMatch(/at most 1024 characters/);
      parsed(`data${'.a'.repeat(FILTER_LIMITS.maxPathSegments - 1)} = 1`);
      expect(error(`data${'.a'.repeat(FILTER_LIMITS.maxPathSegments)} = 1`)).toBe(
        'column 1: a field path has at most 8 segments',
      );
    });

    it('parses the longest, deepest filters in linear time (no backtracking)', () => {
      const started = performance.now();
      for (let i = 0; i < 200; i += 1) {
        parseFilter(`${'('.repeat(16)}data.x = "${'\\"'.repeat(1000)}"${')'.repeat(16)}`);
        parseFilter('data.x = 1 OR '.repeat(300));
        parseFilter(`data.x IN (${'"a",'.repeat(800)})`);
      }
      expect(performance.now() - started).toBeLessThan(2000);
    });
  });
});
