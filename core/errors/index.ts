import { ERROR_CODES, type ErrorCode } from './codes.js';

export { ERROR_CODES, type ErrorCode } from './codes.js';

/** One bad field of a request: `field` is a path such as `events[3].data.session_id`. */
export interface ErrorDetail {
  field: string;
  message: string;
  index?: number;
}

export interface PlatformErrorOptions {
  /** Whether trying the same operation again may succeed. Default false. */
  retriable?: boolean;
  cause?: unknown;
  details?: ErrorDetail[];
  /** HTTP status; defaults to the catalogue's status for `code`. */
  status?: number;
  /** Seconds a client should wait before retrying (sent as `Retry-After`). */
  retryAfterSeconds?: number;
}

/**
 * The base of every error the platform raises on purpose. Retry logic reads `retriable`;
 * the HTTP layer reads `code`, `status` and `details`.
 */
export class PlatformError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly status: number;
  readonly details: ErrorDetail[];
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ErrorCode, message: string, options: PlatformErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.status = options.status ?? ERROR_CODES[code].status;
    this.details = options.details ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** A request that names bad fields. */
export class ValidationError extends PlatformError {
  constructor(message: string, details: ErrorDetail[] = [], code: ErrorCode = 'invalid_request') {
    super(code, message, { details });
  }
}

export class NotFoundError extends PlatformError {
  constructor(what: string) {
    super('not_found', `${what} was not found`);
  }
}

export class UnauthorizedError extends PlatformError {
  constructor(message = 'A valid API key is required: send `Authorization: Bearer <api key>`') {
    super('unauthorized', message);
  }
}

export class ForbiddenError extends PlatformError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super('forbidden', message, { details });
  }
}

/** A backing part is unreachable or failing; the operation may succeed later. */
export class UnavailableError extends PlatformError {
  constructor(message: string, cause?: unknown) {
    super('service_unavailable', message, { retriable: true, cause, retryAfterSeconds: 1 });
  }
}

/** A configuration value is invalid; the process stops with this message. */
export class ConfigError extends Error {
  readonly variable: string;
  constructor(variable: string, message: string) {
    super(`${variable}: ${message}`);
    this.name = 'ConfigError';
    this.variable = variable;
  }
}

/** True when trying again may help: our errors say so, network errors are assumed transient. */
export function isRetriable(error: unknown): boolean {
  if (error instanceof PlatformError) return error.retriable;
  if (error && typeof error === 'object' && 'retriable' in error)
    return Boolean((error as { retriable: unknown }).retriable);
  return false;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
