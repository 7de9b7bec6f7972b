import type { ErrorBody, ErrorCode } from '../contract/types.js';

const statusOf: Partial<Record<ErrorCode, number>> = {
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  archive_held: 409,
  gone: 410,
  file_too_large: 413,
  host_unavailable: 503,
  internal: 500,
};

/**
 * An expected failure with a stable code and parameters. The message is for logs and CLI users; UIs
 * translate the code. File and settings rejections are 422: the request was understood, the file not.
 */
export class IntakeError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly params: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'IntakeError';
    this.status = statusOf[code] ?? (code === 'invalid_request' ? 400 : 422);
  }
}

export const isIntakeError = (e: unknown): e is IntakeError => e instanceof IntakeError;

/**
 * The one error shape (API responses, a failed import's record): an expected error as it is, anything
 * else as `internal` without its details, which belong in the server log only.
 */
export function errorBody(error: unknown, requestId: string): ErrorBody['error'] {
  if (isIntakeError(error)) return { code: error.code, message: error.message, params: error.params, requestId };
  return { code: 'internal', message: 'Something went wrong on the server; the server log has details.', requestId };
}

/** A file over the upload limit, said in megabytes (`maxMb`) as a person reads it; `max` in bytes, as the API has always said it. */
export function fileTooLarge(maxBytes: number): IntakeError {
  const maxMb = Math.max(1, Math.round(maxBytes / 1024 / 1024));
  return new IntakeError('file_too_large', `The file is larger than the limit of ${maxMb} MB.`, { max: maxBytes, maxMb });
}
