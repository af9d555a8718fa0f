/**
 * Old-server compatibility ONLY. ClickHouse before 19.11 (Debian's clickhouse-server is 18.16)
 * has no `{name:Type}` binding: it answers `param_x` with "Unknown setting". So that CI can test
 * this transport against the one server installable here, parameters are substituted into the
 * SQL text on the client, as ClickHouse's own literals, each value checked against the type its
 * placeholder declares (anything else throws). Modern servers never take this path: they bind
 * server-side. Placeholders inside quoted strings, quoted names and comments are left alone, and
 * substitution is a single pass, so a value that itself looks like `{x:String}` stays a value.
 */
import type { Params } from './transport.js';

type Value = Params[string];

const SIMPLE =
  /^(?:String|FixedString\(\d+\)|U?Int(?:8|16|32|64)|Float(?:32|64)|Bool|UUID|Date|DateTime(?:\('[\w/+-]+'\))?)$/;

/** Replaces each `{name:Type}` outside quotes and comments by `params[name]` as a typed literal. */
export function substituteParams(sql: string, params: Params): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql.charAt(i);
    let end = i + 1;
    if (c === "'" || c === '"' || c === '`') end = closingQuote(sql, i);
    else if (sql.startsWith('--', i)) end = lineEnd(sql, i);
    else if (sql.startsWith('/*', i)) end = sql.includes('*/', i + 2) ? sql.indexOf('*/', i + 2) + 2 : sql.length;
    else if (c === '{') {
      const m = /\{\s*([A-Za-z_]\w*)\s*:\s*([^{}]+?)\s*\}/y;
      m.lastIndex = i;
      const found = m.exec(sql);
      if (found) {
        const [whole, name = '', type = ''] = found;
        if (!Object.hasOwn(params, name)) throw new Error(`no value for parameter {${name}:${type}}`);
        out += literal(params[name], type, name);
        i += whole.length;
        continue;
      }
    }
    out += sql.slice(i, end);
    i = end;
  }
  return out;
}

/** `value` as a ClickHouse literal of `type`; throws when it is not a value of that type. */
export function literal(value: Value | undefined, type: string, name = '?'): string {
  const fail = (why: string) => new Error(`parameter {${name}:${type}}: ${why}, got ${JSON.stringify(value)}`);
  const inner = /^(?:LowCardinality|Nullable)\((.+)\)$/.exec(type)?.[1];
  if (inner) return literal(value, inner, name);
  const element = /^Array\((.+)\)$/.exec(type)?.[1];
  if (element) {
    if (!isList(value)) throw fail('expected an array');
    const items = value.map((v: string | number) => literal(v, element, name));
    return `CAST([${items.join(', ')}] AS ${type})`; // typed even when empty
  }
  if (!SIMPLE.test(type)) throw fail('type not supported by the old-server substitution');
  const int = /^(U?)Int(\d+)$/.exec(type);
  if (int) return integer(value, int[1] === 'U', Number(int[2]), fail);
  if (type.startsWith('Float')) {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw fail('expected a finite number');
    return signed(String(value));
  }
  if (type === 'Bool') {
    if (typeof value !== 'boolean') throw fail('expected a boolean');
    return value ? '1' : '0'; // no Bool type before 21.12: UInt8, as it was stored then
  }
  if (typeof value !== 'string') throw fail('expected a string');
  if (type === 'String' || type.startsWith('FixedString')) return quote(value);
  const pattern =
    type === 'UUID'
      ? /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
      : type === 'Date'
        ? /^\d{4}-\d{2}-\d{2}$/
        : /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;
  if (!pattern.test(value)) throw fail(`not a ${type} in its text form`);
  return `CAST(${quote(value)} AS ${type})`;
}

function integer(value: Value | undefined, unsigned: boolean, bits: number, fail: (why: string) => Error): string {
  // Strings of digits are accepted too: 64-bit values beyond 2^53 cannot travel as JS numbers.
  let n: bigint;
  if (typeof value === 'number' && Number.isSafeInteger(value)) n = BigInt(value);
  else if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) n = BigInt(value);
  else throw fail('expected an integer');
  const min = unsigned ? 0n : -(2n ** BigInt(bits - 1));
  const max = unsigned ? 2n ** BigInt(bits) - 1n : 2n ** BigInt(bits - 1) - 1n;
  if (n < min || n > max) throw fail(`out of range for ${unsigned ? 'U' : ''}Int${bits}`);
  return signed(n.toString());
}

function isList(value: Value | undefined): value is readonly string[] | readonly number[] {
  return Array.isArray(value);
}

/** Negative numbers in parentheses: `1-{x:Int8}` with -1 must not become the comment `1--1`. */
function signed(text: string): string {
  return text.startsWith('-') ? `(${text})` : text;
}

const ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
};

/** A single-quoted string literal: backslash escapes, as ClickHouse's lexer reads them. */
export function quote(s: string): string {
  return `'${s.replace(/[\\'\n\r\t\0\b\f]/g, (ch) => ESCAPES[ch] ?? ch)}'`;
}

/** Index just past the quote closing the one at `start` (backslash escapes and doubled quotes). */
function closingQuote(sql: string, start: number): number {
  const q = sql.charAt(start);
  let i = start + 1;
  while (i < sql.length) {
    const c = sql.charAt(i);
    if (c === '\\') i += 2;
    else if (c === q && sql.charAt(i + 1) === q) i += 2;
    else if (c === q) return i + 1;
    else i += 1;
  }
  return sql.length;
}

function lineEnd(sql: string, start: number): number {
  const nl = sql.indexOf('\n', start);
  return nl === -1 ? sql.length : nl;
}
