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
  /** Data the client needs besides the message (e.g. a refused promotion's gate decision), sent in the error body. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Readonly<Record<string, unknown>> }) {
    super(message, options);
    this.name = 'AppError';
    this.code = code;
    this.status = STATUS[code];
    this.details = options?.details;
  }

  static isInstance(error: unknown): error is AppError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}

/** A usage error: bad flags or arguments (CLI exit code 2, HTTP 400). */
export const usageError = (message: string) => new AppError('usage', message);

/** What a validation issue needs for a message (zod's issues fit). */
export interface ValidationIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/**
 * The one way validation issues become a message: `field: message` joined by `; `, where `nameOf`
 * names a field as its caller spells it (e.g. `--suite-version` for the CLI). A message that already
 * names its field (`--suite NAME is required`) is not prefixed again.
 */
export function formatIssues(issues: readonly ValidationIssue[], nameOf: (path: readonly PropertyKey[]) => string = (p) => p.map(String).join('.')): string {
  return issues
    .map((issue) => {
      const name = nameOf(issue.path) || 'arguments';
      return issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`;
    })
    .join('; ');
}

/** Parses `input` with `schema`, or throws a usage error carrying every issue (formatIssues). */
export function parseOrUsageError<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false; error: { issues: readonly ValidationIssue[] } } },
  input: unknown,
  nameOf?: (path: readonly PropertyKey[]) => string,
): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw usageError(formatIssues(parsed.error.issues, nameOf));
  return parsed.data;
}
