import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import type { Send, SendResult } from './retry.js';
import { addressProblem } from './url-policy.js';

export interface HttpSenderOptions {
  /** Longest time of one attempt, from getting a connection to the end of the answer, in ms. */
  timeoutMs: number;
  /** Concurrent requests (connections) per endpoint origin; more wait for a free one. Default 16. */
  maxSocketsPerHost?: number;
  /** Allow http: and private, loopback, link-local targets (RG_WEBHOOK_ALLOW_PRIVATE). Default false. */
  allowPrivate?: boolean;
  /** Resolves host names (`dns.lookup`'s signature); tests point names anywhere with it. Default `dns.lookup`. */
  resolve?: typeof dnsLookup;
}

/** Errors of requests the rules refused before any byte was sent start with this; retrying cannot help. */
export const REFUSED_PREFIX = 'refused: ';

class RefusedAddressError extends Error {
  readonly code = 'ERR_WEBHOOK_ADDRESS_REFUSED';
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
        return callback(new RefusedAddressError(`${REFUSED_PREFIX}${hostname} resolves to ${problem ?? 'no address'}`), '', 0);
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
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return `${REFUSED_PREFIX}${target.protocol} is not a webhook scheme`;
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

// Attempts in flight per abort signal, with one listener per signal: thousands of requests share
// one signal (the dispatcher's shutdown), and an EventTarget scans its listeners on every add.
const inFlight = new WeakMap<AbortSignal, Set<Attempt>>();
function inFlightOf(signal: AbortSignal): Set<Attempt> {
  let attempts = inFlight.get(signal);
  if (!attempts) {
    const set = new Set<Attempt>();
    attempts = set;
    inFlight.set(signal, set);
    signal.addEventListener('abort', () => { for (const attempt of set) attempt.abort(); }, { once: true });
  }
  return attempts;
}

/**
 * One attempt of one request. Its state lives on one object and its listeners are methods: a
 * delivery path that runs thousands of times a second allocates little per request.
 */
class Attempt {
  private req: ClientRequest | undefined;
  private res: IncomingMessage | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private timedOut = false;
  private settled = false;

  constructor(private readonly resolve: (result: SendResult) => void, private readonly signal: AbortSignal, private readonly timeoutMs: number) {}

  start(requestFn: typeof httpRequest, options: RequestOptions, body: string): void {
    const req = requestFn(options, (res) => this.response(res));
    this.req = req;
    // The clock starts when a connection is ours: waiting behind the per-origin cap is not the endpoint's time.
    req.on('socket', () => { this.deadline = setTimeout(() => this.timeout(), this.timeoutMs); });
    req.on('error', (error) => this.finish({ ok: false, error: error.message }));
    inFlightOf(this.signal).add(this);
    req.end(body);
  }

  private response(res: IncomingMessage): void {
    this.res = res;
    res.resume();
    res.on('end', () => this.answered());
    res.on('error', (error) => this.finish({ ok: false, status: res.statusCode ?? 0, error: error.message }));
    // A connection cut mid-answer (timeout, abort, endpoint gone) may not emit 'error'.
    res.on('close', () => {
      if (!res.complete) this.finish({ ok: false, status: res.statusCode ?? 0, error: 'the connection closed before the answer ended' });
    });
  }

  private answered(): void {
    const status = this.res!.statusCode ?? 0;
    const ok = status >= 200 && status < 300;
    if (ok) return this.finish({ ok, status });
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfterMs(this.res!.headers['retry-after'] as string | undefined) : undefined;
    this.finish({
      ok,
      status,
      ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      error: status >= 300 && status < 400 ? `HTTP ${status}: redirects are not followed` : `HTTP ${status}`,
    });
  }

  private timeout(): void {
    this.timedOut = true;
    this.req!.destroy(new Error(`timed out after ${this.timeoutMs} ms`));
  }

  abort(): void {
    this.req?.destroy(new Error('aborted'));
  }

  private finish(result: SendResult): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.deadline);
    inFlight.get(this.signal)?.delete(this);
    this.resolve(this.timedOut && !result.ok ? { ...result, error: `timed out after ${this.timeoutMs} ms` } : result);
  }
}

/**
 * The HTTP client of webhook deliveries and replays: keep-alive agents with a per-origin cap on
 * concurrent requests (a slow endpoint queues only its own requests), a deadline per attempt,
 * redirects never followed (a 3xx is a failure), and the URL rules checked on the address
 * actually connected to unless `allowPrivate`.
 */
export function createHttpSender({ timeoutMs, maxSocketsPerHost = 16, allowPrivate = false, resolve: resolver }: HttpSenderOptions): Send & { close(): void } {
  const lookup = allowPrivate ? (resolver as LookupFunction | undefined) : guardedLookup(resolver);
  const agentOptions = { keepAlive: true, maxSockets: maxSocketsPerHost, ...(lookup ? { lookup } : {}) };
  const agents = { http: new HttpAgent(agentOptions), https: new HttpsAgent(agentOptions) };

  // Every delivery to one endpoint has the same URL: parse and judge it once, not per request.
  const targets = new Map<string, { target: URL } | { refused: string }>();
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
      entry = refused ? { refused } : { target: target! };
      if (targets.size >= 10_000) targets.clear();
      targets.set(url, entry);
    }
    return entry;
  };

  const send: Send = ({ url, body, headers }, signal) => new Promise<SendResult>((resolve) => {
    const entry = targetOf(url);
    if ('refused' in entry) return resolve({ ok: false, error: entry.refused });
    if (signal.aborted) return resolve({ ok: false, error: 'aborted' });
    const secure = entry.target.protocol === 'https:';
    new Attempt(resolve, signal, timeoutMs).start(secure ? httpsRequest : httpRequest, {
      protocol: entry.target.protocol,
      hostname: entry.target.hostname.startsWith('[') ? entry.target.hostname.slice(1, -1) : entry.target.hostname,
      port: entry.target.port,
      path: entry.target.pathname + entry.target.search,
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: { 'user-agent': USER_AGENT, ...headers, 'content-length': Buffer.byteLength(body) },
    }, body);
  });
  return Object.assign(send, { close: () => { agents.http.destroy(); agents.https.destroy(); } });
}
