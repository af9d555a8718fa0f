/**
 * The text masking is matched on: each character of free text folded to a plain form (NFKC, so
 * full-width １３８ and circled ①③⑧ are digits; Chinese numerals 一三八 too), invisible ones
 * (zero-width, bidi controls, soft hyphens, variation selectors) dropped, with where each folded
 * unit came from, so a match can be cut out of the original text and everything around it is kept
 * exactly as written.
 */

/** Invisible characters: format ones (zero-width, bidi, soft hyphen, BOM), variation selectors, fillers. */
const INVISIBLE = String.raw`\p{Cf}|\p{Variation_Selector}|\u034f|[\u115f\u1160\u3164\uffa0]`;
const IS_INVISIBLE = new RegExp(`^(?:${INVISIBLE})$`, 'u');
const ALL_INVISIBLE = new RegExp(INVISIBLE, 'gu');
/** Single-code-point characters with no compatibility form: not worth the `normalize` call. */
const PLAIN = /^[\u0020-\u007e\u4e00-\u9fff]$/;

const CHINESE_DIGITS: ReadonlyMap<string, string> = new Map(
  [
    ['〇零洞', '0'],
    ['一壹幺', '1'],
    ['二贰两', '2'],
    ['三叁', '3'],
    ['四肆', '4'],
    ['五伍', '5'],
    ['六陆', '6'],
    ['七柒拐', '7'],
    ['八捌', '8'],
    ['九玖勾', '9'],
  ].flatMap(([chars = '', digit = '']) => Array.from(chars, (c): [string, string] => [c, digit])),
);
const ALL_CHINESE_DIGITS = new RegExp(`[${[...CHINESE_DIGITS.keys()].join('')}]`, 'g');
const digitsOf = (s: string): string => s.replace(ALL_CHINESE_DIGITS, (c) => CHINESE_DIGITS.get(c) ?? c);

/**
 * Text as it is matched, and as a reader of the masked output would compare it: invisible
 * characters gone, NFKC, Chinese numerals as digits. Native string operations: fast enough to
 * run over every title before anything is known to need masking.
 */
export const folded = (text: string): string => digitsOf(text.replace(ALL_INVISIBLE, '').normalize('NFKC'));

/** Folded forms of characters seen before (bounded: text draws on a few thousand characters). */
const known = new Map<string, string>();

/** One character's folded form ('' for an invisible one), as `folded` gives it. */
function foldChar(c: string): string {
  if (PLAIN.test(c) && !CHINESE_DIGITS.has(c)) return c;
  let f = known.get(c);
  if (f === undefined) {
    f = IS_INVISIBLE.test(c) ? '' : digitsOf(c.normalize('NFKC'));
    if (known.size >= 10_000) known.clear();
    known.set(c, f);
  }
  return f;
}

/** The folded text character by character, with where each of its units came from in the original. */
function foldWithOrigins(original: string): { text: string; from: number[]; to: number[] } {
  let text = '';
  const from: number[] = [];
  const to: number[] = [];
  let at = 0;
  for (const c of original) {
    const f = foldChar(c);
    for (let i = 0; i < f.length; i += 1) {
      from.push(at);
      to.push(at + c.length);
    }
    text += f;
    at += c.length;
  }
  return { text, from, to };
}

type Change = { index: number; length: number; masked: string };

function changes(text: string, pattern: RegExp, replace: (m: string) => string): Change[] {
  const out: Change[] = [];
  for (const m of text.matchAll(pattern)) {
    const masked = replace(m[0]);
    if (masked !== m[0] && m[0].length > 0) out.push({ index: m.index, length: m[0].length, masked });
  }
  return out;
}

/**
 * Replaces each match of `pattern` (global) in the folded text by `replace(match)` in the
 * original: the original characters the match came from are cut out whole, the rest is kept as
 * written. Linear in the text; the character-by-character fold that says where each match came
 * from runs only when the quick fold found something to mask (most text holds nothing).
 */
export function replaceFolded(original: string, pattern: RegExp, replace: (m: string) => string): string {
  if (changes(folded(original), pattern, replace).length === 0) return original;
  const { text, from, to } = foldWithOrigins(original);
  let out = '';
  let kept = 0;
  for (const c of changes(text, pattern, replace)) {
    const start = from[c.index] ?? original.length;
    const end = to[c.index + c.length - 1] ?? original.length;
    out += original.slice(kept, start) + c.masked;
    kept = end;
  }
  return out + original.slice(kept);
}
