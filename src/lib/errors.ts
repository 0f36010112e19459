/**
 * The closed set of error codes domain code may throw. Exactly one place
 * (src/http/plugins/errors.ts) maps them to HTTP status; anything else is a
 * bug, logged and shown as a generic 500.
 */
export const errorCodes = {
  validation_failed: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  seats_exhausted: 409,
  rate_limited: 429,
  provider_unavailable: 502,
} as const;

export type ErrorCode = keyof typeof errorCodes;

export interface FieldProblem {
  readonly field: string;
  readonly message: string;
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields: readonly FieldProblem[] = [],
    /** A stable sub-code for the UI where one code covers several situations (e.g. sign-in refusals). */
    readonly reason?: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const validationError = (field: string, message: string): AppError =>
  new AppError('validation_failed', message, [{ field, message }]);

export const notFound = (what: string): AppError => new AppError('not_found', `${what} was not found.`);

export const forbidden = (message = 'You do not have access to this.'): AppError => new AppError('forbidden', message);

export const conflict = (message: string, field?: string): AppError =>
  new AppError('conflict', message, field ? [{ field, message }] : []);
