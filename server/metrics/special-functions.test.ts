import { describe, expect, it } from 'vitest';
import {
  binomialCdf,
  chiSquareSurvival,
  logChoose,
  logGamma,
  normalCdf,
  normalQuantile,
  regularizedBeta,
  regularizedGammaP,
  regularizedGammaQ,
  studentTQuantile,
  studentTSurvival,
} from './special-functions.ts';

// Reference values from scipy 1.17 (scipy.special / scipy.stats), printed with repr().
function expectRelativelyClose(actual: number, expected: number, tolerance = 1e-12): void {
  if (expected === 0) {
    expect(Math.abs(actual)).toBeLessThanOrEqual(tolerance);
    return;
  }
  expect(Math.abs(actual - expected) / Math.abs(expected)).toBeLessThanOrEqual(tolerance);
}

describe('logGamma', () => {
  it.each([
    [0.5, 0.5723649429247],
    [10, 12.801827480081469],
    [171.5, 709.1431630309283],
    [1e6, 12815504.569147611],
    [1e-3, 6.907178885383853],
    [2.5e-7, 15.2018047747803],
  ])('matches scipy gammaln(%d)', (x, expected) => {
    expectRelativelyClose(logGamma(x), expected, 1e-13);
  });

  it('is 0 at 1 and 2 and infinite at the poles', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-14);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-14);
    expect(logGamma(0)).toBe(Infinity);
    expect(logGamma(-3)).toBe(Infinity);
  });

  it('uses the reflection formula below 0.5 (Γ(-0.5) = -2√π)', () => {
    expectRelativelyClose(logGamma(-0.5), Math.log(2 * Math.sqrt(Math.PI)), 1e-13);
  });
});

describe('logChoose', () => {
  it('agrees with exact binomial coefficients', () => {
    expectRelativelyClose(Math.exp(logChoose(10, 3)), 120, 1e-12);
    expectRelativelyClose(Math.exp(logChoose(52, 5)), 2_598_960, 1e-12);
    expect(logChoose(7, 0)).toBe(0);
    expect(logChoose(7, 7)).toBe(0);
  });

  it('is -Infinity (C = 0) outside 0..n', () => {
    expect(logChoose(5, 6)).toBe(-Infinity);
    expect(logChoose(5, -1)).toBe(-Infinity);
  });

  it('stays finite where the coefficient itself would overflow', () => {
    // C(10000, 5000) ≈ 1.59e3008; scipy: gammaln(10001) - 2 * gammaln(5001).
    expectRelativelyClose(logChoose(10_000, 5000), 6926.64081906082, 1e-12);
  });
});

describe('incomplete gamma and beta', () => {
  it('P and Q are complementary on both evaluation branches', () => {
    for (const [a, x] of [[2, 0.5], [2, 8], [0.5, 3], [30, 29]] as const) {
      expect(regularizedGammaP(a, x) + regularizedGammaQ(a, x)).toBeCloseTo(1, 14);
    }
    expect(regularizedGammaP(3, 0)).toBe(0);
    expect(regularizedGammaQ(3, 0)).toBe(1);
  });

  it.each([
    [0.3, 2, 3, 0.34829999999999994],
    [0.9, 0.5, 0.5, 0.7951672353008665],
    [0.01, 50, 0.5, 7.998227417904836e-102],
  ])('I_%d(%d, %d) matches scipy betainc', (x, a, b, expected) => {
    expectRelativelyClose(regularizedBeta(x, a, b), expected, 1e-12);
  });

  it('regularizedBeta is 0 and 1 at the ends', () => {
    expect(regularizedBeta(0, 2, 3)).toBe(0);
    expect(regularizedBeta(1, 2, 3)).toBe(1);
  });
});

describe('normal distribution', () => {
  it.each([
    [-1, 0.15865525393145707],
    [0.3, 0.6179114221889526],
    [1.96, 0.9750021048517795],
    [-10, 7.61985302416047e-24],
    [-37, 5.7255712225239266e-300],
    [0.001, 0.500398942213911],
  ])('normalCdf(%d) matches scipy, deep tails included', (x, expected) => {
    expectRelativelyClose(normalCdf(x), expected, 1e-12);
  });

  it.each([
    [0.975, 1.959963984540054],
    [0.500000001, 2.5066282037387115e-9],
    [0.6, 0.2533471031357997],
    [0.9, 1.2815515655446004],
    [0.02, -2.053748910631823],
    [1e-10, -6.361340902404056],
    [1e-300, -37.0470962993612],
    [0.999999, 4.753424308817087],
  ])('normalQuantile(%d) matches scipy', (p, expected) => {
    expectRelativelyClose(normalQuantile(p), expected, 1e-13);
  });

  it('normalQuantile handles the ends and rejects probabilities outside [0, 1]', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
    expect(normalQuantile(1.5)).toBeNaN();
    expect(normalQuantile(-0.1)).toBeNaN();
  });
});

describe('Student t distribution', () => {
  it.each([
    [0.975, 1, 12.706204736174694],
    [0.975, 2, 4.302652729749462],
    [0.975, 5, 2.5705818356363146],
    [0.975, 10, 2.228138851986274],
    [0.975, 30, 2.0422724563012378],
    [0.975, 100, 1.9839715185235518],
    [0.975, 1000, 1.9623390808264083],
    [0.995, 3, 5.840909309733355],
    [0.9995, 1, 636.6192487687897],
    [0.95, 2.5, 2.5582186141359355],
    [0.025, 4, -2.7764451051977943],
  ])('studentTQuantile(%d, df=%d) matches scipy t.ppf', (p, df, expected) => {
    expectRelativelyClose(studentTQuantile(p, df), expected, 1e-11);
  });

  it.each([
    [2, 5, 0.050969739414929174],
    [-1, 3, 0.8044988905221148],
    [10, 2, 0.004926228511662845],
    [50, 30, 9.357708829611355e-31],
    [0, 7, 0.5],
  ])('studentTSurvival(%d, df=%d) matches scipy t.sf', (t, df, expected) => {
    expectRelativelyClose(studentTSurvival(t, df), expected, 1e-12);
  });

  it('studentTQuantile is symmetric and exact at the median and the ends', () => {
    expect(studentTQuantile(0.5, 4)).toBe(0);
    expect(studentTQuantile(0.1, 4)).toBe(-studentTQuantile(0.9, 4));
    expect(studentTQuantile(1, 4)).toBe(Infinity);
    expect(studentTQuantile(0, 4)).toBe(-Infinity);
    expect(studentTQuantile(0.9, 0)).toBeNaN();
  });
});

describe('chiSquareSurvival', () => {
  it.each([
    [3.841458820694124, 1, 0.04999999999999989],
    [6.880952380952381, 1, 0.008711912962379598],
    [100, 1, 1.5239706048320995e-23],
    [10, 5, 0.07523524614651217],
    [0.5, 3, 0.9188914116546758],
  ])('chiSquareSurvival(%d, df=%d) matches scipy chi2.sf', (x, df, expected) => {
    expectRelativelyClose(chiSquareSurvival(x, df), expected, 1e-12);
  });

  it('is 1 at 0', () => {
    expect(chiSquareSurvival(0, 1)).toBe(1);
  });
});

describe('binomialCdf', () => {
  it.each([
    [3, 20, 0.5, 0.0012884140014648438],
    [0, 10, 0.5, 0.0009765625],
    [400, 1000, 0.5, 1.3642320780329735e-10],
    [2, 7, 0.3, 0.6470695000000001],
    [30, 2000, 0.03, 1.1177580325108679e-5],
  ])('P(X <= %d) for Binomial(%d, %d) matches scipy binom.cdf', (k, n, p, expected) => {
    expectRelativelyClose(binomialCdf(k, n, p), expected, 1e-11);
  });

  it.each([
    [480, 1100, 0.5, 1.3565690546503439e-5],
    [40_000, 100_000, 0.4, 0.5013734150485321],
  ])('sums in log space where (1-p)^n would underflow: P(X <= %d), n = %d', (k, n, p, expected) => {
    expectRelativelyClose(binomialCdf(k, n, p), expected, 1e-9);
  });

  it('is 0 below 0, 1 from n up, and underflows to 0 rather than overflowing', () => {
    expect(binomialCdf(-1, 10, 0.5)).toBe(0);
    expect(binomialCdf(10, 10, 0.5)).toBe(1);
    expect(binomialCdf(10, 100_000, 0.5)).toBe(0);
  });
});
