/** An error answered by the API: `code` is the API's stable error code (see docs/api.md). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: { field: string; message: string; index?: number }[];
  readonly requestId: string | undefined;
  /** Seconds the API asked to wait before retrying (`Retry-After`), when it did. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: number,
    body: { code?: string; message?: string; details?: ApiError['details'] } | undefined,
    requestId?: string,
    retryAfterSeconds?: number,
  ) {
    super(body?.message ?? `HTTP ${status}`);
    this.name = new.target.name;
    this.status = status;
    this.code = body?.code ?? (status >= 500 ? 'internal_error' : 'invalid_request');
    this.details = body?.details ?? [];
    this.requestId = requestId;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class InvalidRequestError extends ApiError {}
export class AuthenticationError extends ApiError {}
export class PermissionError extends ApiError {}
export class NotFoundError extends ApiError {}
export class RateLimitError extends ApiError {}
export class ServiceUnavailableError extends ApiError {}

/** The error class for an API error code, so `instanceof` narrows by kind. */
export function errorFor(
  status: number,
  body: ConstructorParameters<typeof ApiError>[1],
  requestId?: string,
  retryAfterSeconds?: number,
): ApiError {
  const code = body?.code;
  const Kind =
    code === 'unauthorized'
      ? AuthenticationError
      : code === 'forbidden'
        ? PermissionError
        : code === 'not_found'
          ? NotFoundError
          : code === 'rate_limited'
            ? RateLimitError
            : code === 'service_unavailable'
              ? ServiceUnavailableError
              : status >= 400 && status < 500
                ? InvalidRequestError
                : ApiError;
  return new Kind(status, body, requestId, retryAfterSeconds);
}

/** The network failed or timed out before the API answered. */
export class ConnectionError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConnectionError';
  }
}
