import type { ErrorDetail } from '../lib/field-errors.js';
import { reportReachable, reportUnreachable } from './connectivity.js';
import { session, signOut, type Session } from './session.js';

/** An answer in the API's error shape (`{"error": {"code", "message", "details"}}`). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

/** The API could not be reached (no answer at all). */
export class UnreachableError extends Error {
  constructor() {
    super('The API is unreachable');
  }
}

export type Query = Record<string, string | number | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** The key to use instead of the session's (the sign-in check). */
  as?: Pick<Session, 'key' | 'admin' | 'organizationId'>;
}

/** The headers that authenticate a request: the key, and the organization an admin acts on. */
export function authHeaders(who: Pick<Session, 'key' | 'admin' | 'organizationId'>): Record<string, string> {
  return {
    authorization: `Bearer ${who.key}`,
    ...(who.admin && who.organizationId ? { 'rg-organization-id': who.organizationId } : {}),
  };
}

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query))
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * A request to `/api/v1`: JSON in and out, the session's key, errors as ApiError. A request that
 * gets no answer raises the unreachable banner; a 401 while signed in ends the session (the key was
 * revoked) with a notice on the sign-in page.
 */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const who = options.as ?? session.get();
  if (!who) throw new ApiError(401, 'unauthorized', 'Not signed in');
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}${queryString(options.query)}`, {
      method,
      headers: {
        ...authHeaders(who),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      cache: 'no-store',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    reportUnreachable();
    throw new UnreachableError();
  }
  reportReachable();
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined)?.error;
    const failure = new ApiError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `HTTP ${response.status}`,
      error?.details ?? [],
    );
    if (response.status === 401 && !options.as && session.get())
      signOut('The API key was refused (wrong or revoked): sign in again.');
    throw failure;
  }
  return body as T;
}

/** A short message for any failure of `api`. */
export function failureMessage(error: unknown): string {
  if (error instanceof ApiError) return `${error.message} (${error.code})`;
  if (error instanceof UnreachableError) return 'The API is unreachable; retrying when it is back.';
  return error instanceof Error ? error.message : String(error);
}
