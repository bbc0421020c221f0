// Guards shared by the statistics: bad input is a caller's bug, so it throws rather than
// quietly turning into NaN somewhere downstream.

export function assertFiniteNumbers(values: readonly number[], name: string): void {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new RangeError(`${name}[${i}] must be a finite number, got ${String(value)}`);
    }
  }
}

export function assertSameLength(a: readonly unknown[], b: readonly unknown[], names: string): void {
  if (a.length !== b.length) throw new RangeError(`${names} must have the same length (${a.length} vs ${b.length})`);
}

/** A confidence level strictly between 0 and 1, e.g. 0.95. */
export function assertLevel(level: number): void {
  if (!(level > 0 && level < 1)) throw new RangeError(`level must be between 0 and 1 (exclusive), got ${level}`);
}

export function assertNonNegativeInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

export function assertPositiveInteger(value: number, name: string): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`${name} must be a positive integer, got ${value}`);
}
