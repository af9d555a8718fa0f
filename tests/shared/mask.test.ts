import { describe, expect, it } from 'vitest';
import { maskIdNumber, maskName, maskPhone, maskText } from '../../shared/mask.js';

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
  });
});
