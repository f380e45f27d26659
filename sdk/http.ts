import { ConnectionError, errorFor, type ApiError } from './errors.js';

export interface ClientOptions {
  /** The API key (`Authorization: Bearer …`). */
  apiKey: string;
  /** The API's base URL, without `/api/v1`. Default `http://127.0.0.1:8080`. */
  baseUrl?: string;
  /** For admin keys: the organization to act on (sent as `RG-Organization-Id`). */
  organizationId?: string;
  /** Timeout of one request, in ms. Default 30,000. */
  timeoutMs?: number;
  /** Retries of a request answered 429 or 503, or failing on the network. Default 2. */
  maxRetries?: number;
  /** A `fetch` implementation. Default: the global one (Node 20+, browsers). */
  fetch?: typeof fetch;
}

export type Query = Record<string, string | number | boolean | readonly string[] | undefined | null>;

/** The transport shared by the resources: JSON over fetch, errors typed by code, retries with backoff. */
export interface Transport {
  request<T>(
    method: string,
    path: string,
    options?: { query?: Query; body?: unknown; idempotent?: boolean },
  ): Promise<T>;
  /** A raw streaming request (the live stream). */
  stream(path: string, query: Query, headers: Record<string, string>, signal: AbortSignal): Promise<Response>;
  readonly baseUrl: string;
}

export function toSearch(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createTransport(options: ClientOptions): Transport {
  const baseUrl = (options.baseUrl ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxRetries = options.maxRetries ?? 2;
  const headers = (extra: Record<string, string> = {}): Record<string, string> => ({
    authorization: `Bearer ${options.apiKey}`,
    ...(options.organizationId ? { 'rg-organization-id': options.organizationId } : {}),
    ...extra,
  });

  return {
    baseUrl,
    async request<T>(
      method: string,
      path: string,
      { query, body, idempotent = method === 'GET' || method === 'DELETE' } = {} as {
        query?: Query;
        body?: unknown;
        idempotent?: boolean;
      },
    ) {
      const url = `${baseUrl}/api/v1${path}${toSearch(query)}`;
      for (let attempt = 0; ; attempt += 1) {
        let response: Response;
        try {
          response = await doFetch(url, {
            method,
            headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }),
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            signal: AbortSignal.timeout(timeoutMs),
          });
        } catch (cause) {
          // A POST that may have landed is retried only when the caller made it safe (event ids).
          if (idempotent && attempt < maxRetries) {
            await sleep(250 * 2 ** attempt);
            continue;
          }
          throw new ConnectionError(`${method} ${path} failed: ${(cause as Error).message}`, { cause });
        }
        const text = await response.text();
        const parsed = text ? safeJson(text) : undefined;
        if (response.ok) return parsed as T;
        const retryAfter = Number(response.headers.get('retry-after') ?? '');
        const error: ApiError = errorFor(
          response.status,
          (parsed as { error?: never } | undefined)?.error,
          response.headers.get('x-request-id') ?? undefined,
          Number.isFinite(retryAfter) ? retryAfter : undefined,
        );
        if ((response.status === 429 || response.status === 503) && attempt < maxRetries && idempotent) {
          await sleep(Math.min(30_000, (error.retryAfterSeconds ?? 0.25 * 2 ** attempt) * 1000));
          continue;
        }
        throw error;
      }
    },
    async stream(path, query, extra, signal) {
      return doFetch(`${baseUrl}/api/v1${path}${toSearch(query)}`, {
        headers: headers({ accept: 'text/event-stream', ...extra }),
        signal,
      });
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: { code: 'internal_error', message: text.slice(0, 500) } };
  }
}
