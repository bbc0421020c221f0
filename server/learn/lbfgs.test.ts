import { describe, expect, it } from 'vitest';
import { minimiseLbfgs } from './lbfgs.ts';

describe('minimiseLbfgs', () => {
  it('finds the minimum of an ill-conditioned quadratic', () => {
    // f(x) = Σ c_i (x_i - i)², minimum at x_i = i.
    const c = [1, 10, 100, 1000];
    const result = minimiseLbfgs(
      (x, g) => {
        let f = 0;
        for (let i = 0; i < x.length; i++) {
          f += c[i]! * (x[i]! - i) ** 2;
          g[i] = 2 * c[i]! * (x[i]! - i);
        }
        return f;
      },
      new Float64Array(4),
      { memory: 5, maxIterations: 200, tolerance: 1e-14 },
    );
    expect(result.converged).toBe(true);
    Array.from(result.x).forEach((v, i) => expect(v).toBeCloseTo(i, 4));
  });

  it('minimises the Rosenbrock function', () => {
    const result = minimiseLbfgs(
      (x, g) => {
        const [a, b] = [x[0]!, x[1]!];
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.of(-1.2, 1),
      { memory: 10, maxIterations: 500, tolerance: 1e-16 },
    );
    expect(result.x[0]).toBeCloseTo(1, 3);
    expect(result.x[1]).toBeCloseTo(1, 3);
  });
});
