// Mean and variance computed stably (compensated sum, Welford), shared by intervals and reports.

/** Sum with Neumaier compensation, so long columns of small scores do not drift. */
export function sum(values: ArrayLike<number>): number {
  let total = 0;
  let compensation = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const next = total + value;
    compensation += Math.abs(total) >= Math.abs(value) ? total - next + value : value - next + total;
    total = next;
  }
  return total + compensation;
}

/** Arithmetic mean; NaN when empty. */
export function mean(values: ArrayLike<number>): number {
  return values.length === 0 ? NaN : sum(values) / values.length;
}

/** Unbiased sample variance (n - 1 denominator, Welford's update); NaN below two values. */
export function sampleVariance(values: ArrayLike<number>): number {
  if (values.length < 2) return NaN;
  let runningMean = 0;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    const delta = value - runningMean;
    runningMean += delta / (i + 1);
    squares += delta * (value - runningMean);
  }
  return squares / (values.length - 1);
}
