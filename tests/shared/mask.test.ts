import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone, maskText } from '../../shared/mask.js';
import { folded } from '../../shared/mask-text.js';
import { personalCase, revealed } from '../helpers/personal-data.js';

describe('maskName', () => {
  it('keeps the first and last character of a three-character name', () => {
    expect(maskName('张小伟')).toBe('张*伟');
  });
  it('masks the given name of a two-character name', () => {
    expect(maskName('张伟')).toBe('张*');
  });
  it('keeps only the ends of a compound surname name', () => {
    expect(maskName('欧阳小明')).toBe('欧**明');
  });
  it('hides a single character whole and leaves an empty name empty', () => {
    expect(maskName('张')).toBe('*');
    expect(maskName('  ')).toBe('');
  });
});

describe('maskPhone', () => {
  it('masks the middle four digits of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
  it('ignores separators', () => {
    expect(maskPhone('138-1234-5678')).toBe('138****5678');
  });
  it('hides short numbers whole', () => {
    expect(maskPhone('12345')).toBe('*****');
  });
  it('hides at least four digits of a short landline', () => {
    expect(maskPhone('88886666')).toBe('88****66');
    expect(maskPhone('8886666')).toBe('8****66');
  });
});

describe('maskIdNumber', () => {
  it('keeps the region prefix and the last four of an 18-digit ID', () => {
    expect(maskIdNumber('510122199001011234')).toBe('5101**********1234');
  });
  it('keeps a trailing X check digit', () => {
    expect(maskIdNumber('51012219900101123X')).toBe('5101**********123X');
  });
});

describe('maskText', () => {
  it('masks a phone number typed into free text and keeps the rest', () => {
    expect(maskText('小区路灯不亮，请回电13812345678谢谢')).toBe('小区路灯不亮，请回电138****5678谢谢');
    expect(maskText('电话 138-1234-5678')).toBe('电话 138****5678');
  });
  it('masks an ID number inside text, X check digit included', () => {
    expect(maskText('身份证51012219900101123X已提交')).toBe('身份证5101**********123X已提交');
  });
  it('leaves years, counts and short numbers alone', () => {
    expect(maskText('2024年第3期 共120户')).toBe('2024年第3期 共120户');
    expect(maskText('阅读1,234,567次')).toBe('阅读1,234,567次');
  });
  it.each([
    ['full-width digits', '请回电１３８１２３４５６７８', '请回电138****5678'],
    ['Chinese numerals', '电话一三八一二三四五六七八', '电话138****5678'],
    ['circled digits', '①③⑧①②③④⑤⑥⑦⑧', '138****5678'],
    ['dots', '138.1234.5678', '138****5678'],
    ['slashes', '138/1234/5678', '138****5678'],
    ['full-width dashes', '138－1234－5678', '138****5678'],
    ['double spaces', '138  1234  5678', '138****5678'],
    ['tabs and newlines', '回电\t138\n1234\t5678。', '回电\t138****5678。'],
    ['zero-width characters', '138\u200b1234\u2060\u200d5678', '138****5678'],
    ['bidi controls', '138\u202e1234\u202c5678', '138****5678'],
    ['a bracketed area code', '座机(028) 8888-6666', '座机028****6666'],
    ['full-width brackets', '座机（028）8888-6666', '座机028****6666'],
    ['+86', '+86 138 1234 5678', '+86 138****5678'],
    ['0086', '0086-13812345678', '0086 138****5678'],
    ['an ID number in groups', '身份证 510122 19900101 123X', '身份证 5101**********123X'],
  ])('masks a number written with %s', (_, text, masked) => {
    expect(maskText(text)).toBe(masked);
  });
  it('masks every name the event carries wherever it stands, split or not, and keeps the rest as written', () => {
    const text = '王建国反映：王 建\u200b国家门口路灯不亮，李四已知悉';
    expect(maskText(text, ['王建国', '李四'])).toBe('王*国反映：王*国家门口路灯不亮，李*已知悉');
  });

  it('shows no more of a generated number than the mask does, nor the name, and keeps the text around them', () => {
    fc.assert(
      fc.property(personalCase, (c) => {
        const masked = maskText(c.text, [c.name]);
        const seen = revealed(masked, c);
        expect(seen.digits.length).toBeLessThanOrEqual(c.shown);
        expect(seen.digits).not.toContain(c.digits);
        expect(seen.name).toBe(false);
        expect(masked).toContain('反映');
      }),
      { numRuns: 2_000 },
    );
  });
});

/** The longest run of digits in `text` (folded) with at most 4 separators between two of them. */
function longestRun(text: string): number {
  let longest = 0;
  let digits = 0;
  let gap = 0;
  for (const c of folded(text)) {
    if (c >= '0' && c <= '9') {
      digits += 1;
      gap = 0;
      longest = Math.max(longest, digits);
    } else if (' \t\n-./()_~+'.includes(c) && gap < 4) gap += 1;
    else {
      digits = 0;
      gap = 0;
    }
  }
  return longest;
}

describe('maskText on adversarial input', () => {
  const piece = fc.constantFrom(
    '1',
    '８',
    '三',
    ' ',
    '  ',
    '-',
    '.',
    '(',
    ')',
    '\u200b',
    'X',
    '*',
    '王',
    '建',
    '国',
    '\n',
    '号',
  );

  it('leaves no run of more than 8 digits in whatever it is given, and masking again changes nothing', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 2_000 }), (pieces) => {
        const masked = maskText(pieces.join(''), ['王建国']);
        expect(longestRun(masked)).toBeLessThanOrEqual(8);
        expect(maskText(masked, ['王建国'])).toBe(masked);
      }),
      { numRuns: 300 },
    );
  });

  it('masks 100,000-character runs of digits and separators, brackets and split names in one pass', () => {
    expect(maskText('1 '.repeat(50_000))).toBe(`111${'*'.repeat(49_993)}1111 `);
    expect(maskText(`${'1'.repeat(6)}${' '.repeat(5)}`.repeat(10_000))).toBe(
      `${'1'.repeat(6)}${' '.repeat(5)}`.repeat(10_000),
    );
    expect(maskText('(('.repeat(50_000))).toBe('(('.repeat(50_000));
    expect(maskText('王 建 '.repeat(25_000), ['王建国'])).toBe('王 建 '.repeat(25_000));
  });
});
