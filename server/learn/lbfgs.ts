// Limited-memory BFGS for smooth convex objectives (Nocedal & Wright, algorithm 7.4), with a
// backtracking Armijo line search: deterministic, and a few dozen lines instead of a dependency.

export interface LbfgsOptions {
  /** Correction pairs kept. */
  memory: number;
  maxIterations: number;
  /** Stop when the relative decrease of the objective over one step falls below this. */
  tolerance: number;
}

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  converged: boolean;
}

/** `evaluate(x, gradient)` returns f(x) and writes ∇f(x) into `gradient`. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export function minimiseLbfgs(evaluate: Objective, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = evaluate(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(options.memory);
  const direction = new Float64Array(n);
  const xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  let iterations = 0;
  let converged = false;
  let spareS: Float64Array | null = null;
  let spareY: Float64Array | null = null;

  while (iterations < options.maxIterations) {
    iterations++;
    // Two-loop recursion: direction = -H·g.
    direction.set(g);
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(s[k]!, direction);
      axpy(-alpha[k]!, y[k]!, direction);
    }
    if (s.length > 0) {
      const last = s.length - 1;
      scale(direction, dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!));
    } else {
      const gn = Math.sqrt(dot(g, g));
      if (gn === 0) {
        converged = true;
        break;
      }
      scale(direction, 1 / gn);
    }
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k]! * dot(y[k]!, direction);
      axpy(alpha[k]! - beta, s[k]!, direction);
    }
    scale(direction, -1);

    let slope = dot(g, direction);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -g[i]!;
      slope = dot(g, direction);
      if (slope === 0) {
        converged = true;
        break;
      }
    }

    let step = 1;
    let fNew = 0;
    for (let tries = 0; ; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * direction[i]!;
      fNew = evaluate(xNew, gNew);
      if (fNew <= f + 1e-4 * step * slope || tries >= 40) break;
      step *= 0.5;
    }

    const sk: Float64Array = spareS ?? new Float64Array(n);
    const yk: Float64Array = spareY ?? new Float64Array(n);
    spareS = sk;
    spareY = yk;
    for (let i = 0; i < n; i++) {
      sk[i] = xNew[i]! - x[i]!;
      yk[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12) {
      // The pair dropped from memory lends its buffers to the next step.
      spareS = null;
      spareY = null;
      if (s.length === options.memory) {
        spareS = s.shift()!;
        spareY = y.shift()!;
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
    const decrease = f - fNew;
    x.set(xNew);
    [g, gNew] = [gNew, g];
    f = fNew;
    if (decrease >= 0 && decrease <= options.tolerance * Math.max(1, Math.abs(f))) {
      converged = true;
      break;
    }
  }
  return { x, value: f, iterations, converged };
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += a * x[i]!;
}

function scale(x: Float64Array, a: number): void {
  for (let i = 0; i < x.length; i++) x[i]! *= a;
}
