import { describe, expect, it } from 'vitest';
import { isBankCardNumber, isIdCardNumber, MASKS, maskPersonalData } from '../src/text/mask.js';

describe('mask', () => {
  it('masks 18-digit ID-card numbers with a valid checksum, including a final X, and the 15-digit form', () => {
    expect(maskPersonalData('身份证110105199001011232能办吗')).toBe(`身份证${MASKS.idCard}能办吗`);
    expect(maskPersonalData('号码 440306198512310022')).toBe(`号码 ${MASKS.idCard}`);
    expect(maskPersonalData('号码 11010519491231002X')).toBe(`号码 ${MASKS.idCard}`);
    expect(maskPersonalData('旧证 110105900101123')).toBe(`旧证 ${MASKS.idCard}`);
  });

  it('masks an ID-card number typed with spaces or dashes, in any grouping', () => {
    expect(maskPersonalData('身份证 1101 0519 9001 0112 32 能办吗')).toBe(
      `身份证 ${MASKS.idCard} 能办吗`,
    );
    expect(maskPersonalData('身份证110105 19900101 1232')).toBe(`身份证${MASKS.idCard}`);
    expect(maskPersonalData('身份证110105-19900101-1232')).toBe(`身份证${MASKS.idCard}`);
  });

  it('leaves an 18-digit number with a wrong checksum or an impossible birth date alone', () => {
    expect(isIdCardNumber('110105199001011234')).toBe(false);
    expect(isIdCardNumber('110105199013011232')).toBe(false);
    expect(maskPersonalData('编号110105199001011234')).toBe('编号110105199001011234');
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

  it('masks bank card numbers that pass the Luhn check, grouped or not', () => {
    expect(maskPersonalData('卡号6222021001123456789退款')).toBe(`卡号${MASKS.bankCard}退款`);
    expect(maskPersonalData('卡号 6217 0000 1000 1234 569')).toBe(`卡号 ${MASKS.bankCard}`);
    expect(maskPersonalData('卡 4111-1111-1111-1111')).toBe(`卡 ${MASKS.bankCard}`);
  });

  it('leaves a long number that fails the Luhn check alone', () => {
    expect(isBankCardNumber('6222021001123456780')).toBe(false);
    expect(maskPersonalData('流水号6222021001123456780')).toBe('流水号6222021001123456780');
  });

  it('masks passport and 港澳通行证 numbers', () => {
    expect(maskPersonalData('护照E12345678过期了')).toBe(`护照${MASKS.passport}过期了`);
    expect(maskPersonalData('护照号EA1234567')).toBe(`护照号${MASKS.passport}`);
    expect(maskPersonalData('通行证C12345678续签')).toBe(`通行证${MASKS.passport}续签`);
    expect(maskPersonalData('港澳通行证CB1234567')).toBe(`港澳通行证${MASKS.passport}`);
  });

  it('masks licence plates, including new-energy and dotted spellings', () => {
    expect(maskPersonalData('车牌晋A12345被扣了')).toBe(`车牌${MASKS.plate}被扣了`);
    expect(maskPersonalData('粤B·D12345违章')).toBe(`${MASKS.plate}违章`);
    expect(maskPersonalData('京AD12345')).toBe(MASKS.plate);
  });

  it('catches full-width digits by folding them first', () => {
    expect(maskPersonalData('手机１３８１２３４５６７８')).toBe(`手机${MASKS.phone}`);
  });

  it('leaves figures, years, amounts and names that merely look like personal data alone', () => {
    for (const text of [
      '2021年办理行政复议案件3125件，投入资金138123456万元，增长12.5%',
      '全年减免税费17000余项',
      '全省共有5A级景区、晋A级企业',
      'G20峰会和C919大飞机',
      '2021 2022 2023年的规划',
    ]) {
      expect(maskPersonalData(text)).toBe(text);
    }
  });

  it('does not mask a digit run longer than any of these numbers', () => {
    const long = '12345678901234567890';
    expect(maskPersonalData(long)).toBe(long);
  });
});
