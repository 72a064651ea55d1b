import { describe, expect, it } from 'vitest';
import { MASKS, maskPersonalData } from '../src/server/mask.js';

describe('mask', () => {
  it('masks 18-digit and 15-digit ID-card numbers, including a final X', () => {
    expect(maskPersonalData('身份证110105199001011234能办吗')).toBe(`身份证${MASKS.idCard}能办吗`);
    expect(maskPersonalData('号码 14010519900101123X')).toBe(`号码 ${MASKS.idCard}`);
    expect(maskPersonalData('旧证 110105900101123')).toBe(`旧证 ${MASKS.idCard}`);
  });

  it('masks mobile numbers in common spellings', () => {
    for (const phone of ['13812345678', '138-1234-5678', '138 1234 5678', '+8613812345678']) {
      expect(maskPersonalData(`请打${phone}联系`)).toBe(`请打${MASKS.phone}联系`);
    }
  });

  it('masks landline numbers with an area code', () => {
    expect(maskPersonalData('电话0351-4046000')).toBe(`电话${MASKS.phone}`);
    expect(maskPersonalData('电话（0351）4046000')).toBe(`电话${MASKS.phone}`);
  });

  it('masks e-mail addresses', () => {
    expect(maskPersonalData('发到 zhang.san@example.com.cn 吧')).toBe(`发到 ${MASKS.email} 吧`);
  });

  it('catches full-width digits by folding them first', () => {
    expect(maskPersonalData('手机１３８１２３４５６７８')).toBe(`手机${MASKS.phone}`);
  });

  it('leaves figures, years and amounts alone', () => {
    const text = '2021年办理行政复议案件3125件，投入资金138123456万元，增长12.5%';
    expect(maskPersonalData(text)).toBe(text);
  });

  it('does not mask a digit run longer than an ID-card number', () => {
    const long = '12345678901234567890';
    expect(maskPersonalData(long)).toBe(long);
  });
});
