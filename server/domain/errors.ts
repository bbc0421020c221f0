// One error family for the whole app: a stable code, an HTTP status, and a marker that survives
// duplicated module copies (where `instanceof` would not).
const MARKER = Symbol.for('firstcall.AppError');

export const ERROR_CODES = [
  'usage',
  'validation',
  'not_found',
  'conflict',
  'database_locked',
  'unauthorized',
  'forbidden',
  'rate_limited',
  'provider',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

const STATUS: Record<ErrorCode, number> = {
  usage: 400,
  validation: 400,
  not_found: 404,
  conflict: 409,
  database_locked: 503,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  provider: 502,
  internal: 500,
};

export class AppError extends Error {
  readonly [MARKER] = true;
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
  }

  static isInstance(error: unknown): error is AppError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}

/** A usage error: bad flags or arguments (CLI exit code 2, HTTP 400). */
export const usageError = (message: string) => new AppError('usage', message);
