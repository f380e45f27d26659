import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { EventEmitter } from 'node:events';
import { isIP, type LookupFunction } from 'node:net';
import { Agent } from 'undici';
import type { Send } from './retry.js';
import { addressProblem } from './url-policy.js';

export interface HttpSenderOptions {
  /**
   * Longest wait of one attempt, in ms: for the connection, then for the answer's headers once the
   * request is sent, then between chunks of its body. Waiting behind the per-origin cap is not counted.
   */
  timeoutMs: number;
  /** Concurrent requests (connections) per endpoint origin; more wait for a free one. Default 16. */
  maxSocketsPerHost?: number;
  /** Allow http: and private, loopback, link-local targets (RG_WEBHOOK_ALLOW_PRIVATE). Default false. */
  allowPrivate?: boolean;
  /** Resolves host names (`dns.lookup`'s signature); tests point names anywhere with it. Default `dns.lookup`. */
  resolve?: typeof dnsLookup;
}

/** Starts the error text of a request the URL rules refused (the result also says `refused: true`). */
const REFUSED_PREFIX = 'refused: ';
const REFUSED_CODE = 'ERR_WEBHOOK_ADDRESS_REFUSED';

class RefusedAddressError extends Error {
  readonly code = REFUSED_CODE;
}

/**
 * A DNS lookup that refuses a name when any of its addresses is not public, so the rule holds for
 * the address actually connected to (a public name pointing at 127.0.0.1 or 169.254.169.254 is
 * refused). Refusing on any address, not only the chosen one, defeats mixed answers too.
 */
export function guardedLookup(resolve: typeof dnsLookup = dnsLookup): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const problem = addresses.map((entry) => addressProblem(entry.address, { allowPrivate: false })).find(Boolean);
      if (problem || addresses.length === 0) {
        return callback(
          new RefusedAddressError(`${REFUSED_PREFIX}${hostname} resolves to ${problem ?? 'no address'}`),
          '',
          0,
        );
      }
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}

/** `Retry-After` as delay-seconds or an HTTP date, in ms from now; undefined when absent, past or unreadable. */
export function parseRetryAfterMs(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  const ms = /^\d+$/.test(trimmed) ? Number(trimmed) * 1000 : Date.parse(trimmed) - nowMs;
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

function refusal(target: URL, allowPrivate: boolean): string | undefined {
  if (target.protocol !== 'https:' && target.protocol !== 'http:')
    return `${REFUSED_PREFIX}${target.protocol} is not a webhook scheme`;
  if (allowPrivate) return undefined;
  if (target.protocol !== 'https:') return `${REFUSED_PREFIX}webhook URLs must be https`;
  // Node connects to a literal IP without any lookup: check it here.
  const host = target.hostname.startsWith('[') ? target.hostname.slice(1, -1) : target.hostname;
  if (isIP(host)) {
    const problem = addressProblem(host, { allowPrivate });
    if (problem) return `${REFUSED_PREFIX}${problem}`;
  }
  return undefined;
}

const USER_AGENT = 'ResonantGenesis-Webhooks/1.0';

// Requests in flight per abort signal, with one listener per signal: thousands of requests share
// one signal (the dispatcher's shutdown), and an EventTarget scans its listeners on every add.
// Each request gets a plain emitter as its own abort signal (undici accepts one), far cheaper to
// make than an AbortController.
const inFlight = new WeakMap<AbortSignal, Set<EventEmitter>>();
function inFlightOf(signal: AbortSignal): Set<EventEmitter> {
  let requests = inFlight.get(signal);
  if (!requests) {
    const set = new Set<EventEmitter>();
    requests = set;
    inFlight.set(signal, set);
    signal.addEventListener(
      'abort',
      () => {
        for (const request of set) request.emit('abort');
      },
      { once: true },
    );
  }
  return requests;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * The HTTP client of webhook deliveries and replays (undici: keep-alive pools and a cheaper request
 * path than `node:http`, which matters at thousands of deliveries a second): a per-origin cap on
 * concurrent requests (a slow endpoint queues only its own requests), deadlines per attempt,
 * redirects never followed (a 3xx is a failure), and the URL rules checked on the address actually
 * connected to unless `allowPrivate`.
 */
export function createHttpSender({
  timeoutMs,
  maxSocketsPerHost = 16,
  allowPrivate = false,
  resolve: resolver,
}: HttpSenderOptions): Send & { close(): void } {
  const lookup = allowPrivate ? (resolver as LookupFunction | undefined) : guardedLookup(resolver);
  const agent = new Agent({
    connections: maxSocketsPerHost,
    connect: { timeout: timeoutMs, ...(lookup ? { lookup } : {}) },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });

  // Every delivery to one endpoint has the same URL: parse and judge it once, not per request.
  const targets = new Map<string, { origin: string; path: string } | { refused: string }>();
  const targetOf = (url: string) => {
    let entry = targets.get(url);
    if (!entry) {
      let target: URL | undefined;
      try {
        target = new URL(url);
      } catch {
        // judged below
      }
      const refused = target ? refusal(target, allowPrivate) : `${REFUSED_PREFIX}not a valid URL`;
      entry = refused ? { refused } : { origin: target!.origin, path: target!.pathname + target!.search };
      if (targets.size >= 10_000) targets.clear();
      targets.set(url, entry);
    }
    return entry;
  };

  const send: Send = async ({ url, body, headers }, signal) => {
    const entry = targetOf(url);
    if ('refused' in entry) return { ok: false, refused: true, error: entry.refused };
    if (signal.aborted) return { ok: false, error: 'aborted' };
    const abort = new EventEmitter();
    const requests = inFlightOf(signal);
    requests.add(abort);
    try {
      const res = await agent.request({
        origin: entry.origin,
        path: entry.path,
        method: 'POST',
        headers: { 'user-agent': USER_AGENT, 'content-type': 'application/json', ...headers },
        body,
        signal: abort,
      });
      const status = res.statusCode;
      // The answer's body is not read, only drained so the connection can be reused.
      await res.body.dump();
      if (status >= 200 && status < 300) return { ok: true, status };
      const retryAfter = res.headers['retry-after'];
      const retryAfterMs =
        status === 429 || status === 503
          ? parseRetryAfterMs(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter)
          : undefined;
      return {
        ok: false,
        status,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
        error: status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`,
      };
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      if (code && TIMEOUT_CODES.has(code)) return { ok: false, error: `timed out after ${timeoutMs} ms` };
      if (signal.aborted) return { ok: false, error: 'aborted' };
      // The guarded lookup refused every address of the name: the connection was never opened.
      if (code === REFUSED_CODE) return { ok: false, refused: true, error: message ?? REFUSED_PREFIX };
      return { ok: false, error: message || String(error) };
    } finally {
      requests.delete(abort);
    }
  };
  return Object.assign(send, {
    close: () => {
      void agent.destroy();
    },
  });
}
