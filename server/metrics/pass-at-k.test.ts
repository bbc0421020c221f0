import { describe, expect, it } from 'vitest';
import { casePassAtK, casePassHatK, passAtK, passHatK } from './pass-at-k.ts';

describe('casePassHatK', () => {
  it('is C(c,k)/C(n,k): 3 of 5 passes, k = 2 → 3/10', () => {
    expect(casePassHatK(5, 3, 2)).toBeCloseTo(0.3, 15);
    expect(casePassHatK(10, 8, 3)).toBeCloseTo(56 / 120, 15);
  });

  it('is the pass rate at k = 1', () => {
    expect(casePassHatK(8, 6, 1)).toBe(0.75);
  });

  it('is 1 when every trial passed and 0 when fewer than k passed', () => {
    expect(casePassHatK(4, 4, 4)).toBe(1);
    expect(casePassHatK(4, 0, 1)).toBe(0);
    expect(casePassHatK(10, 2, 3)).toBe(0);
  });

  it('stays exact for binomials far beyond double range', () => {
    // C(150,100)/C(200,100) and C(1000,400)/C(2000,400), from Python's exact fractions.
    expect(casePassHatK(200, 150, 100) / 2.2229697512078617e-19).toBeCloseTo(1, 12);
    expect(casePassHatK(2000, 1000, 400) / 5.054526246893721e-143).toBeCloseTo(1, 11);
  });
});

describe('casePassAtK', () => {
  it('is 1 - C(n-c,k)/C(n,k): 3 of 5 passes, k = 2 → 9/10', () => {
    expect(casePassAtK(5, 3, 2)).toBeCloseTo(0.9, 15);
  });

  it('is 1 once fewer than k trials failed, and the pass rate at k = 1', () => {
    expect(casePassAtK(10, 8, 3)).toBe(1);
    expect(casePassAtK(8, 6, 1)).toBe(0.75);
    expect(casePassAtK(5, 0, 5)).toBe(0);
  });

  it('handles large n without overflow', () => {
    expect(casePassAtK(200, 5, 100)).toBeCloseTo(0.9703083947657067, 13);
  });
});

describe('passHatK and passAtK', () => {
  const cases = [
    { trials: 5, passed: 3 },
    { trials: 5, passed: 5 },
    { trials: 5, passed: 0 },
  ];

  it('average the per-case values over cases', () => {
    expect(passHatK(cases, 2)).toBeCloseTo((0.3 + 1 + 0) / 3, 15);
    expect(passAtK(cases, 2)).toBeCloseTo((0.9 + 1 + 0) / 3, 15);
  });

  it('allow cases with different trial counts', () => {
    expect(passHatK([{ trials: 5, passed: 3 }, { trials: 10, passed: 8 }], 2)).toBeCloseTo((0.3 + 28 / 45) / 2, 15);
  });

  it('order as pass^k <= pass rate <= pass@k', () => {
    const rate = passHatK(cases, 1)!;
    expect(passHatK(cases, 3)!).toBeLessThanOrEqual(rate);
    expect(passAtK(cases, 3)!).toBeGreaterThanOrEqual(rate);
  });

  it('return null for no cases', () => {
    expect(passHatK([], 1)).toBeNull();
    expect(passAtK([], 1)).toBeNull();
  });

  it('reject k above a case’s trials, passes above trials and non-integers', () => {
    expect(() => passHatK([{ trials: 3, passed: 1 }], 4)).toThrow(/k \(4\) cannot exceed/);
    expect(() => passAtK([{ trials: 3, passed: 4 }], 1)).toThrow(RangeError);
    expect(() => passHatK([{ trials: 3, passed: 1 }], 0)).toThrow(RangeError);
    expect(() => passHatK([{ trials: 3, passed: 1.5 }], 1)).toThrow(RangeError);
    expect(() => casePassHatK(-1, 0, 1)).toThrow(RangeError);
  });
});
