import { describe, expect, it } from 'vitest';
import { bankCard, formatCard, formatMobile, isValidResidentId, luhnValid, mainlandMobile, residentId } from './pii.ts';
import { createRng } from './rng.ts';
import { dayOfIsoDate } from './time.ts';

describe('synthetic personal data', () => {
  const rng = createRng(99);

  it('checks resident ID numbers and card numbers like real validators', () => {
    expect(isValidResidentId('11010519491231002X')).toBe(true); // the textbook example
    expect(isValidResidentId('110105194912310021')).toBe(false);
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('makes valid mainland mobiles, ID numbers and cards', () => {
    for (let i = 0; i < 2000; i++) {
      expect(mainlandMobile(rng)).toMatch(/^1[3-9]\d{9}$/);
      const id = residentId(rng, dayOfIsoDate('1988-07-14'));
      expect(isValidResidentId(id)).toBe(true);
      expect(id.slice(6, 14)).toBe('19880714');
      const zh = bankCard(rng, true);
      expect(luhnValid(zh)).toBe(true);
      expect(zh).toMatch(/^62\d{14}(\d{3})?$/);
      expect(luhnValid(bankCard(rng, false))).toBe(true);
    }
  });

  it('formats numbers the way people type them', () => {
    expect(formatMobile('13812345678', 1)).toBe('138 1234 5678');
    expect(formatMobile('13812345678', 2)).toBe('138-1234-5678');
    expect(formatCard('6222021234567890', true)).toBe('6222 0212 3456 7890');
  });
});
