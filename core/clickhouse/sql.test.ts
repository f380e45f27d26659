import { fromTabSeparated, toTabSeparated, toTabSeparatedLine, tsvField } from './tab-separated.js';
import { describe, expect, it } from 'vitest';
import { identifier, join, quoteString, sql, toSqlText } from './sql.js';

describe('quoteString', () => {
  it('escapes quotes and backslashes', () => {
    expect(quoteString("it's")).toBe("'it\\'s'");
    expect(quoteString('a\\b')).toBe("'a\\\\b'");
    expect(quoteString("\\'")).toBe("'\\\\\\''");
  });

  it('writes control characters as hex escapes', () => {
    expect(quoteString('a\nb')).toBe("'a\\x0ab'");
    expect(quoteString('\u0000')).toBe("'\\x00'");
    expect(quoteString('\r\t\u007f')).toBe("'\\x0d\\x09\\x7f'");
  });

  it('keeps non-ASCII text as it is', () => {
    expect(quoteString('héllo 世界 🚀')).toBe("'héllo 世界 🚀'");
  });

  it('leaves LIKE wildcards alone (they are only special in LIKE, which we never build from input)', () => {
    expect(quoteString('100%_done')).toBe("'100%_done'");
  });

  it('never lets the literal end early', () => {
    const hostile = ["'; DROP TABLE events; --", "\\'); SELECT 1 --", "' OR '1'='1", "\\\\'", "'\u0000'"];
    for (const value of hostile) {
      const quoted = quoteString(value);
      // Strip escape pairs: what is left must hold no quote but the outer two.
      const unescaped = quoted.slice(1, -1).replace(/\\(x[0-9a-f]{2}|.)/g, '');
      expect(unescaped).not.toContain("'");
    }
  });
});

describe('sql', () => {
  it('renders values by type', () => {
    const query = sql`SELECT ${'a'}, ${1}, ${2.5}, ${10n}, ${true}, ${null}, ${['x', 'y']}`;
    expect(toSqlText(query)).toBe("SELECT 'a', 1, 2.5, 10, 1, NULL, ('x', 'y')");
  });

  it('nests fragments without quoting them', () => {
    const where = join([sql`a = ${'1'}`, sql`b = ${2}`], sql` AND `);
    expect(toSqlText(sql`SELECT * FROM ${identifier('db.events')} WHERE ${where}`)).toBe(
      "SELECT * FROM `db`.`events` WHERE a = '1' AND b = 2",
    );
  });

  it('refuses values that cannot be rendered safely', () => {
    expect(() => sql`${Number.NaN}`).toThrow(/finite/);
    expect(() => sql`${Infinity}`).toThrow(/finite/);
    expect(() => sql`${[]}`).toThrow(/empty list/);
    expect(() => sql`${{ text: 'DROP TABLE x' } as never}`).toThrow(/unsupported/);
  });

  it('accepts only plain identifiers', () => {
    expect(() => identifier('events; DROP')).toThrow();
    expect(() => identifier('a`b')).toThrow();
    expect(() => identifier('a.b.c')).toThrow();
    expect(() => identifier('')).toThrow();
    expect(toSqlText(identifier('events_v1'))).toBe('`events_v1`');
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
