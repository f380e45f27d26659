import { fromTabSeparated, toTabSeparated, toTabSeparatedLine, tsvField } from './tab-separated.js';
import { describe, expect, it } from 'vitest';
import { encodeParam, identifier, integerLiteral, join, param, sql, toQuery } from './sql.js';

describe('sql', () => {
  it('binds every value as a typed parameter, never as text', () => {
    const hostile = "'; DROP TABLE events; --";
    const query = toQuery(sql`SELECT ${hostile}, ${1}, ${2.5}, ${10n}, ${true}, ${['x', "y'"]}`);
    expect(query.text).toBe('SELECT {p0:String}, {p1:Int64}, {p2:Float64}, {p3:Int64}, {p4:Bool}, {p5:Array(String)}');
    expect(query.params).toEqual({ p0: hostile, p1: '1', p2: 2.5, p3: '10', p4: true, p5: ['x', "y'"] });
    expect(query.text).not.toContain('DROP');
  });

  it('numbers the parameters of nested fragments in order, and keeps identifiers as text', () => {
    const where = join([sql`a = ${'1'}`, sql`b = ${2}`], sql` AND `);
    const query = toQuery(sql`SELECT * FROM ${identifier('db.events')} WHERE ${where} AND c = ${'3'}`);
    expect(query.text).toBe('SELECT * FROM `db`.`events` WHERE a = {p0:String} AND b = {p1:Int64} AND c = {p2:String}');
    expect(query.params).toEqual({ p0: '1', p1: '2', p2: '3' });
  });

  it('types explicit parameters: DateTime64(3) in UTC, clamped to the range ClickHouse holds', () => {
    const at = Date.UTC(2026, 1, 21, 3, 27, 0, 123);
    expect(toQuery(sql`${param.dateTime64(at)}`)).toEqual({
      text: "{p0:DateTime64(3, 'UTC')}",
      params: { p0: '2026-02-21 03:27:00.123' },
    });
    expect(toQuery(sql`${param.dateTime64(-1e15)}`).params.p0).toBe('1900-01-01 00:00:00.000');
    expect(toQuery(sql`${param.dateTime64(8e15)}`).params.p0).toBe('2299-12-31 23:59:59.999');
    expect(toQuery(sql`${param.uint64(7)}`)).toEqual({ text: '{p0:UInt64}', params: { p0: '7' } });
    expect(() => param.dateTime64(Number.NaN)).toThrow(/instant/);
    expect(() => param.uint64(-1)).toThrow(/unsigned/);
    expect(() => param.int64(0.5)).toThrow(/safe integer/);
  });

  it('refuses values that have no safe parameter', () => {
    expect(() => sql`${Number.NaN}`).toThrow(/finite/);
    expect(() => sql`${Infinity}`).toThrow(/finite/);
    expect(() => sql`${[1] as never}`).toThrow(/strings only/);
    expect(() => sql`${{ text: 'DROP TABLE x' } as never}`).toThrow(/unsupported/);
    expect(() => sql`${null as never}`).toThrow(/unsupported/);
  });

  it('accepts only plain identifiers, and only safe integers as literals', () => {
    expect(() => identifier('events; DROP')).toThrow();
    expect(() => identifier('a`b')).toThrow();
    expect(() => identifier('a.b.c')).toThrow();
    expect(() => identifier('')).toThrow();
    expect(toQuery(identifier('events_v1')).text).toBe('`events_v1`');
    expect(toQuery(integerLiteral(7_776_000)).text).toBe('7776000');
    expect(() => integerLiteral(1.5)).toThrow();
  });
});

describe('encodeParam', () => {
  it("writes values in ClickHouse's escaped form, as @clickhouse/client does", () => {
    expect(encodeParam("it's a\\b\tc\nd\re")).toBe(String.raw`it\'s a\\b\tc\nd\re`);
    expect(encodeParam(['x', "y'z"])).toBe(String.raw`['x','y\'z']`);
    expect(encodeParam(3)).toBe('3');
    expect(encodeParam(true)).toBe('1');
  });
});

describe('tsvField', () => {
  it('escapes exactly what TabSeparated reads specially', () => {
    expect(tsvField('plain evt_01ABC')).toBe('plain evt_01ABC');
    expect(tsvField('a\tb\nc\rd\\e\u0000f')).toBe('a\\tb\\nc\\rd\\\\e\\0f');
    expect(tsvField('quotes \' " stay')).toBe('quotes \' " stay');
  });

  it('escapes each special character when it is the only one', () => {
    const escaped: [string, string][] = [
      ['\\', '\\\\'],
      ['\t', '\\t'],
      ['\n', '\\n'],
      ['\r', '\\r'],
      ['\u0000', '\\0'],
    ];
    for (const [raw, written] of escaped) expect(tsvField(`a${raw}b`)).toBe(`a${written}b`);
  });
});

describe('toTabSeparatedLine', () => {
  it('writes one row as toTabSeparated does, without the line break', () => {
    const row = { a: 'x\ty', b: 7, c: null, d: true };
    expect(toTabSeparatedLine(row, ['d', 'a', 'b', 'c'])).toBe('1\tx\\ty\t7\t\\N');
    expect(`${toTabSeparatedLine(row, ['a', 'b'])}\n`).toBe(toTabSeparated([row], ['a', 'b']));
  });

  it('refuses a row without a listed column', () => {
    expect(() => toTabSeparatedLine({ a: 'x' }, ['a', 'b'])).toThrow(/no value for column b/);
  });
});

describe('toTabSeparated', () => {
  it('writes each row in column order, with numbers, booleans and null in their TabSeparated spelling', () => {
    const rows = [
      { b: 2, a: 'x\ty', c: null, d: true },
      { a: '{"k":"\\"}', b: 18446744073709551615n, c: 'z', d: false },
    ];
    const lines = [
      [String.raw`x\ty`, '2', String.raw`\N`, '1'],
      [String.raw`{"k":"\\"}`, '18446744073709551615', 'z', '0'],
    ];
    expect(toTabSeparated(rows, ['a', 'b', 'c', 'd'])).toBe(lines.map((fields) => `${fields.join('\t')}\n`).join(''));
  });
  it('refuses a row that lacks a column instead of shifting the others', () => {
    expect(() => toTabSeparated([{ a: 'x', b: 1 }, { a: 'y' }], ['a', 'b'])).toThrow(/row 1 has no value for column b/);
  });
  it('writes nothing for no rows (not an empty line, which would be a row)', () => {
    expect(toTabSeparated([], ['a'])).toBe('');
  });
});

describe('fromTabSeparated', () => {
  it('reads rows by the header, undoing every escape ClickHouse writes, with \\N as null', () => {
    const text = `id\tpayload\tnote\n1\t{"k":"a\\\\"b"}\t\\N\n2\tx\\ty\\nz\\\\N\\0\\b\\f\\r\\'q\\\\\t\n`;
    expect(fromTabSeparated(text)).toEqual([
      { id: '1', payload: '{"k":"a\\"b"}', note: null },
      { id: '2', payload: "x\ty\nz\\N\0\b\f\r'q\\", note: '' },
    ]);
  });
  it('reads back what toTabSeparated writes', () => {
    const rows = [
      { a: 'tab\there', b: 'back\\slash\nline' },
      { a: '', b: '\0\r' },
    ];
    const text = `a\tb\n${toTabSeparated(rows, ['a', 'b'])}`;
    expect(fromTabSeparated(text)).toEqual(rows);
  });
  it('reads no rows from an empty answer, or from a header alone', () => {
    expect(fromTabSeparated('')).toEqual([]);
    expect(fromTabSeparated('a\tb\n')).toEqual([]);
  });
  it('refuses a row whose field count differs from the header', () => {
    expect(() => fromTabSeparated('a\tb\n1\n')).toThrow(/row 1 has 1 fields, the header 2/);
  });
});
