/**
 * fast-check generators of personal data as people really type it into free text: phone numbers
 * (mobile with or without +86/0086, landlines with a bracketed area code) and ID numbers, each
 * digit ASCII, full-width, circled, bold or a Chinese numeral, the groups split by spaces, tabs,
 * newlines, dashes of every width, dots, slashes or invisible characters; and Chinese names, their
 * characters split the same way. Each case knows what the mask may show of it.
 */
import fc from 'fast-check';
import { folded } from '../../shared/mask-text.js';

export interface PersonalCase {
  /** The free text: context, the number, context, maybe the name. */
  text: string;
  /** The number's digits as written in plain ASCII. */
  digits: string;
  /** How many of its digits the mask may show. */
  shown: number;
  name: string;
}

const CHINESE = '〇一二三四五六七八九';
const digitAs = (d: string): fc.Arbitrary<string> =>
  fc.constantFrom(
    d,
    String.fromCharCode(0xff10 + Number(d)), // full-width
    String.fromCodePoint(0x1d7ce + Number(d)), // mathematical bold
    d === '0' ? '⓪' : String.fromCharCode(0x245f + Number(d)), // circled
    CHINESE[Number(d)] ?? d,
  );
/** Between two groups: nothing, separators, invisible characters, up to 4 visible in a row. */
const gap = fc
  .array(
    fc.constantFrom(
      ' ',
      '  ',
      '\t',
      '\n',
      '\u3000',
      '-',
      '－',
      '—',
      '–',
      '.',
      '．',
      '/',
      '／',
      '\u200b',
      '\u200d',
      '\u2060',
      '\ufeff',
      '\u202e',
      '\u00ad',
      '\ufe0f',
    ),
    { maxLength: 2 },
  )
  .map((parts) => parts.join(''));

/** `digits` split into `groups` (lengths), each digit in some form, gaps between the groups. */
function written(digits: string, groups: readonly number[]): fc.Arbitrary<string> {
  const pieces: fc.Arbitrary<string>[] = [];
  let at = 0;
  groups.forEach((len, i) => {
    if (i > 0) pieces.push(gap);
    for (const d of digits.slice(at, at + len)) pieces.push(digitAs(d));
    at += len;
  });
  return fc.tuple(...pieces).map((parts) => parts.join(''));
}

const digitString = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }).map(String), { minLength: n, maxLength: n });

const mobile = fc
  .tuple(fc.constantFrom('13', '15', '17', '18', '19'), digitString(9), fc.constantFrom('', '+86 ', '0086 ', '+86-'))
  .chain(([head, rest, country]) => {
    const digits = head + rest.join('');
    return fc
      .constantFrom([3, 4, 4], [3, 8], [11], [7, 4])
      .chain((groups) => written(digits, groups))
      .map((text) => ({ text: country + text, digits, shown: 7 + country.replace(/\D/g, '').length }));
  });

const landline = fc.tuple(fc.constantFrom('028', '0755', '010'), digitString(8)).chain(([area, local]) => {
  const digits = area + local.join('');
  return fc
    .tuple(fc.constantFrom(['(', ')'], ['（', '）'], ['', '-'], ['', ' ']), written(local.join(''), [4, 4]))
    .map(([[open, close], rest]) => ({ text: `${open}${area}${close}${rest}`, digits, shown: 7 }));
});

const idNumber = fc.tuple(digitString(17), fc.constantFrom('0', '7', 'X')).chain(([body, check]) => {
  const digits = body.join('');
  return fc
    .constantFrom([6, 8, 3], [4, 4, 4, 4, 1], [17])
    .chain((groups) => written(digits, groups))
    .map((text) => ({ text: text + check, digits: digits + (check === 'X' ? '' : check), shown: 8 }));
});

const SURNAMES = ['王', '李', '张', '刘', '陈', '欧阳', '司马'];
const GIVEN = ['建国', '小明', '芳', '秀英', '伟', '德华', '子涵'];
const name = fc.tuple(fc.constantFrom(...SURNAMES), fc.constantFrom(...GIVEN)).map(([s, g]) => s + g);
/** The name in the text, its characters split by spaces or invisible characters. */
const nameWritten = (n: string) =>
  fc
    .array(fc.constantFrom('', ' ', '\u200b', '\u200c', '\u2060', '\u00ad'), {
      minLength: Array.from(n).length,
      maxLength: Array.from(n).length,
    })
    .map((gaps) => Array.from(n, (c, i) => (i === 0 ? c : (gaps[i] ?? '') + c)).join(''));

/** Text around the number: no digits, no Chinese numerals, nothing that folds into one. */
const CONTEXT = ['请回电', '联系电话：', '路灯不亮，', '身份证号', 'Tel:', '谢谢！', '（急）', '家住幸福小区', ''];

export const personalCase: fc.Arbitrary<PersonalCase> = fc
  .tuple(
    fc.oneof(mobile, landline, idNumber),
    name,
    fc.constantFrom(...CONTEXT),
    fc.constantFrom(...CONTEXT),
    fc.constantFrom('', ' ', '\t', '\n'),
  )
  .chain(([number, n, before, after, space]) =>
    nameWritten(n).map((inText) => ({
      text: `${inText}反映${before}${space}${number.text}${space}${after}`,
      digits: number.digits,
      shown: number.shown,
      name: n,
    })),
  );

/** What a reader could take from `masked` about the case: the digits it shows, and whether the name is there. */
export function revealed(masked: string, c: PersonalCase): { digits: string; name: boolean } {
  const plain = folded(masked);
  return {
    digits: plain.replace(/[^0-9]/g, ''),
    name: plain.replace(/\s/g, '').includes(folded(c.name)),
  };
}
