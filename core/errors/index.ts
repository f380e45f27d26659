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

// The details that name an event type missing from the catalogue, marked where they are made
// (type filters, event validation) without adding anything to what clients see.
const unknownEventTypeDetails = new WeakSet<ErrorDetail>();

/** Marks `detail` as naming an event type (or a type pattern) that matches none of the catalogue's. */
export function unknownEventType<Detail extends ErrorDetail>(detail: Detail): Detail {
  unknownEventTypeDetails.add(detail);
  return detail;
}

/**
 * The one rule for the code of a refused request: `unknown_event_type` when every bad field names an
 * event type that is not in the catalogue (the request is otherwise fine), else `invalid_request`.
 */
export function validationCode(details: readonly ErrorDetail[]): 'unknown_event_type' | 'invalid_request' {
  return details.length > 0 && details.every((detail) => unknownEventTypeDetails.has(detail))
    ? 'unknown_event_type'
    : 'invalid_request';
}

/** A request that names bad fields; its code follows `validationCode`. */
export class ValidationError extends PlatformError {
  constructor(message: string, details: ErrorDetail[] = []) {
    super(validationCode(details), message, { details });
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
