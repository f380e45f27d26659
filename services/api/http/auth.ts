import { createHash } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { ApiKey } from '../../../core/config/index.js';
import { UnauthorizedError, ValidationError } from '../../../core/errors/index.js';

/** Who is calling: the organization of the API key, or an admin key that may act for any. */
export interface Caller {
  /** The key's organization; undefined for an admin key. */
  organizationId: string | undefined;
  admin: boolean;
  /** A short, non-secret fingerprint of the key (for logs and per-key limits). */
  keyId: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    caller?: Caller;
  }
}

const digest = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * `Authorization: Bearer <key>` (or `access_token` in the query where `allowQueryToken` is set,
 * for EventSource clients). Keys are looked up by their SHA-256, so the comparison time does not
 * depend on how much of a guessed key is right.
 */
export function authenticate(keys: readonly ApiKey[], { allowQueryToken = false } = {}): RequestHandler {
  const byDigest = new Map(keys.map((key) => [digest(key.key), key]));
  return (req, _res, next) => {
    const header = req.get('authorization');
    let token: string | undefined;
    if (header) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!match) return next(new UnauthorizedError('The Authorization header must be `Bearer <api key>`'));
      token = match[1];
    } else if (allowQueryToken && typeof req.query.access_token === 'string') {
      token = req.query.access_token;
    }
    if (!token) return next(new UnauthorizedError());
    const hashed = digest(token);
    const key = byDigest.get(hashed);
    if (!key) return next(new UnauthorizedError('The API key is not valid'));
    req.caller = {
      organizationId: key.admin ? undefined : key.organizationId,
      admin: key.admin,
      keyId: hashed.slice(0, 12),
    };
    next();
  };
}

/** The authenticated caller of a request (routes run after `authenticate`). */
export function callerOf(req: Request): Caller {
  if (!req.caller) throw new UnauthorizedError();
  return req.caller;
}

export const ORGANIZATION_HEADER = 'RG-Organization-Id';
export const ORGANIZATION_ID = /^[A-Za-z0-9_.-]{1,128}$/;

/**
 * The organization a request acts on: the key's own, or, for an admin key, the one named in the
 * `RG-Organization-Id` header (or `organization_id` query, for EventSource clients).
 */
export function organizationOf(req: Request): string {
  const caller = callerOf(req);
  if (caller.organizationId) return caller.organizationId;
  const named =
    req.get(ORGANIZATION_HEADER) ??
    (typeof req.query.organization_id === 'string' ? req.query.organization_id : undefined);
  if (!named || !ORGANIZATION_ID.test(named)) {
    throw new ValidationError(`An admin key must name the organization in the ${ORGANIZATION_HEADER} header`, [
      { field: ORGANIZATION_HEADER, message: 'is required with an admin key: letters, digits, _ . - (at most 128)' },
    ]);
  }
  return named;
}
