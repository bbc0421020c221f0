import { describe, expect, it } from 'vitest';
import { assertFiniteNumbers, assertLevel, assertNonNegativeInteger, assertPositiveInteger, assertSameLength } from './input-checks.ts';

describe('input checks', () => {
  it('assertFiniteNumbers names the first bad index', () => {
    expect(() => assertFiniteNumbers([1, 2, 3], 'xs')).not.toThrow();
    expect(() => assertFiniteNumbers([1, Infinity], 'xs')).toThrow('xs[1] must be a finite number, got Infinity');
  });

  it('assertSameLength reports both lengths', () => {
    expect(() => assertSameLength([1], [1], 'a and b')).not.toThrow();
    expect(() => assertSameLength([1], [], 'a and b')).toThrow('a and b must have the same length (1 vs 0)');
  });

  it('assertLevel accepts only levels strictly between 0 and 1', () => {
    expect(() => assertLevel(0.95)).not.toThrow();
    for (const level of [0, 1, 95, Number.NaN]) expect(() => assertLevel(level)).toThrow(RangeError);
  });

  it('integer checks reject fractions, negatives and (for positive) zero', () => {
    expect(() => assertNonNegativeInteger(0, 'n')).not.toThrow();
    expect(() => assertNonNegativeInteger(-1, 'n')).toThrow(RangeError);
    expect(() => assertNonNegativeInteger(0.5, 'n')).toThrow(RangeError);
    expect(() => assertPositiveInteger(1, 'k')).not.toThrow();
    expect(() => assertPositiveInteger(0, 'k')).toThrow(RangeError);
  });
});
