import type { RequestHandler } from 'express';
import { PlatformError } from '../../../core/errors/index.js';

/** Bodies must be `application/json` (a charset parameter is fine). */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    next(
      new PlatformError('unsupported_media_type', 'The body must be JSON, sent with `Content-Type: application/json`', {
        details: [
          { field: 'content-type', message: `must be application/json, got ${req.get('content-type') ?? 'none'}` },
        ],
      }),
    );
    return;
  }
  next();
};
