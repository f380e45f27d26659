import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ERROR_CODES, PlatformError, type ErrorCode, type ErrorDetail } from '../../../core/errors/index.js';
import type { Logger } from '../../../core/log/logger.js';

/** The contract's error body: `{"error": {"code", "message", "details"}}`. */
export function sendError(
  res: Response,
  code: ErrorCode,
  message: string,
  details: ErrorDetail[] = [],
  status: number = ERROR_CODES[code].status,
): void {
  if (res.headersSent) return;
  res.status(status).json({ error: { code, message, details } });
}

/** Express's body parser errors, by their `type`. */
function fromBodyParser(error: {
  type?: string;
  status?: number;
  message?: string;
  limit?: number;
}): PlatformError | undefined {
  switch (error.type) {
    case 'entity.parse.failed':
      return new PlatformError('invalid_json', `The body is not valid JSON: ${error.message ?? ''}`.trim(), {
        details: [{ field: 'body', message: 'is not valid JSON' }],
      });
    case 'entity.too.large':
      return new PlatformError('payload_too_large', `The body is larger than the limit of ${error.limit} bytes`, {
        details: [{ field: 'body', message: `exceeds ${error.limit} bytes` }],
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new PlatformError('unsupported_media_type', error.message ?? 'Unsupported body encoding', {
        details: [{ field: 'content-type', message: 'must be application/json; charset=utf-8' }],
      });
    case 'request.aborted':
      return new PlatformError('invalid_request', 'The request was aborted by the client');
    default:
      return undefined;
  }
}

/** The last middleware: every error becomes the contract's shape; unexpected ones are logged. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    const known = error instanceof PlatformError ? error : fromBodyParser(error as never);
    if (known) {
      if (known.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(known.retryAfterSeconds));
      if (known.status >= 500)
        logger.warn('request failed', { method: req.method, path: req.path, code: known.code, error: known });
      sendError(res, known.code, known.message, known.details, known.status);
      return;
    }
    logger.error('unexpected error', { method: req.method, path: req.path, error });
    sendError(res, 'internal_error', 'An unexpected error occurred; it has been logged');
  };
}

/** Unknown routes under the API answer 404 in the contract's shape. */
export const notFoundHandler: RequestHandler = (req, res) => {
  sendError(res, 'not_found', `No route ${req.method} ${req.path}`);
};
