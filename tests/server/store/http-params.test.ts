/**
 * The old-server parameter substitution (ClickHouse < 19.11 has no server-side binding): values
 * become typed literals or the call throws; nothing a value contains can change the statement.
 */
import { describe, expect, it } from 'vitest';
import { quote, substituteParams } from '../../../server/store/http-params.js';
import { bindsParams, identifier, splitDatabase } from '../../../server/store/http.js';

describe('quote', () => {
  it.each([
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ["\\'", "'\\\\\\''"],
    ["'; DROP TABLE t; --", "'\\'; DROP TABLE t; --'"],
    ['a\nb\r\tc\0d', "'a\\nb\\r\\tc\\0d'"],
    ['中文 🙂', "'中文 🙂'"],
    ['', "''"],
  ])('%j -> %s', (input, expected) => {
    expect(quote(input)).toBe(expected);
  });
});

describe('substituteParams', () => {
  it('substitutes each declared type', () => {
    const sql = substituteParams(
      'SELECT {s:String}, {n:UInt64}, {i:Int32}, {f:Float64}, {b:Bool}, {u:UUID}, {d:Date}, {t:DateTime}, {a:Array(String)}',
      {
        s: 'x',
        n: 42,
        i: -7,
        f: 1.5,
        b: true,
        u: '0f8fad5b-d9cb-469f-a165-70867728950e',
        d: '2024-05-01',
        t: '2024-05-01 08:30:00',
        a: ['p', "q'"],
      },
    );
    expect(sql).toBe(
      "SELECT 'x', 42, (-7), 1.5, 1, CAST('0f8fad5b-d9cb-469f-a165-70867728950e' AS UUID), " +
        "CAST('2024-05-01' AS Date), CAST('2024-05-01 08:30:00' AS DateTime), CAST(['p', 'q\\''] AS Array(String))",
    );
  });

  it('does not re-substitute a value that looks like a placeholder (single pass)', () => {
    expect(substituteParams('SELECT {a:String}, {b:String}', { a: '{b:String}', b: 'z' })).toBe(
      "SELECT '{b:String}', 'z'",
    );
  });

  it('leaves placeholders inside quotes and comments alone', () => {
    const sql =
      "SELECT '{a:String}', `{a:String}`, 'it''s {a:String}', '\\' {a:String}' -- {a:String}\n/* {a:String} */ {a:String}";
    expect(substituteParams(sql, { a: 'v' })).toBe(
      "SELECT '{a:String}', `{a:String}`, 'it''s {a:String}', '\\' {a:String}' -- {a:String}\n/* {a:String} */ 'v'",
    );
  });

  it('keeps negative numbers from forming a comment', () => {
    expect(substituteParams('SELECT 1-{x:Int64}', { x: -1 })).toBe('SELECT 1-(-1)');
  });

  it('types arrays, empty ones included, recursively', () => {
    expect(substituteParams('SELECT {a:Array(UInt32)}', { a: [] })).toBe('SELECT CAST([] AS Array(UInt32))');
    expect(substituteParams('SELECT {a:Array(Int64)}', { a: [1, -2] })).toBe('SELECT CAST([1, (-2)] AS Array(Int64))');
    expect(substituteParams('SELECT {a:Array(UUID)}', { a: ['0f8fad5b-d9cb-469f-a165-70867728950e'] })).toBe(
      "SELECT CAST([CAST('0f8fad5b-d9cb-469f-a165-70867728950e' AS UUID)] AS Array(UUID))",
    );
  });

  it('accepts 64-bit integers beyond 2^53 as digit strings, within the type range', () => {
    expect(substituteParams('SELECT {n:UInt64}', { n: '18446744073709551615' })).toBe('SELECT 18446744073709551615');
    expect(() => substituteParams('SELECT {n:UInt64}', { n: '18446744073709551616' })).toThrow(/out of range/);
    expect(() => substituteParams('SELECT {n:UInt8}', { n: 256 })).toThrow(/out of range/);
    expect(() => substituteParams('SELECT {n:UInt32}', { n: -1 })).toThrow(/out of range/);
  });

  it.each<[string, Record<string, string | number | boolean | readonly string[] | readonly number[]>]>([
    ['SELECT {f:Float64}', { f: Number.NaN }],
    ['SELECT {f:Float64}', { f: Number.POSITIVE_INFINITY }],
    ['SELECT {f:Float64}', { f: '1.5' }],
    ['SELECT {n:UInt64}', { n: 1.5 }],
    ['SELECT {n:UInt64}', { n: '1 OR 1=1' }],
    ['SELECT {n:UInt64}', { n: 2 ** 53 }],
    ['SELECT {n:Int32}', { n: true }],
    ['SELECT {s:String}', { s: 5 }],
    ['SELECT {s:String}', { s: ['a'] }],
    ['SELECT {a:Array(String)}', { a: 'a' }],
    ['SELECT {a:Array(UInt8)}', { a: ['1; DROP TABLE t'] }],
    ['SELECT {u:UUID}', { u: "0f8fad5b-d9cb-469f-a165-70867728950e' OR '1" }],
    ['SELECT {d:Date}', { d: '2024-05-01; --' }],
    ['SELECT {t:DateTime}', { t: "2024-05-01 08:30:00')" }],
    ['SELECT {b:Bool}', { b: 1 }],
    ['SELECT {x:Decimal(10, 2)}', { x: 1 }],
    ['SELECT {missing:String}', {}],
    ['SELECT {toString:String}', {}],
  ])('throws for %s with %j', (sql, params) => {
    expect(() => substituteParams(sql, params)).toThrow(/parameter/);
  });
});

describe('identifier', () => {
  it('back-quotes plain names and refuses anything else', () => {
    expect(identifier('events')).toBe('`events`');
    expect(identifier('wmsj.events')).toBe('`wmsj`.`events`');
    for (const bad of ['', 'a b', 'a`b', 'a;DROP', '1abc', 'a.b.c', 'x--']) expect(() => identifier(bad)).toThrow();
  });
});

describe('bindsParams', () => {
  it('knows server-side binding arrived in 19.11', () => {
    expect(bindsParams('18.16.1')).toBe(false);
    expect(bindsParams('19.10.1.5')).toBe(false);
    expect(bindsParams('19.11.3.11')).toBe(true);
    expect(bindsParams('24.8.4.13')).toBe(true);
  });
});

describe('splitDatabase', () => {
  it('takes the database from the path and keeps credentials and options', () => {
    const { root, database } = splitDatabase('http://default:@127.0.0.1:8123/wmsj?request_timeout=5000');
    expect(database).toBe('wmsj');
    expect(root.toString()).toBe('http://default@127.0.0.1:8123/?request_timeout=5000');
    expect(splitDatabase('http://h:8123').database).toBe('default');
  });
});
