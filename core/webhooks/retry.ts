/** What the replay worker needs to send one signed request (the webhook dispatcher's client). */
export interface SendRequest {
  url: string;
  /** The event JSON; the sender labels it `application/json`. */
  body: string;
  /** The signature headers and any of the caller's own. */
  headers: Record<string, string>;
}

export interface SendResult {
  /** True on any 2xx. */
  ok: boolean;
  status?: number;
  /** From `Retry-After` on 429/503, in ms. */
  retryAfterMs?: number;
  error?: string;
  /** True when the URL rules refused the target before any byte was sent: no retry can succeed. */
  refused?: boolean;
}

export type Send = (request: SendRequest, signal: AbortSignal) => Promise<SendResult>;

export interface RetryingSendOptions {
  send: Send;
  /** Delays between attempts, in ms (the webhook retry schedule). */
  scheduleMs: readonly number[];
  /** Random share added to or taken from each delay. Default 0.2. */
  jitter?: number;
  signal: AbortSignal;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export const abortableSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    // The listener goes when the sleep ends, so long retry loops do not pile listeners on the signal.
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Sends until a 2xx, following the schedule (with jitter, honouring `Retry-After`); answers the
 * last result. Stops early when `signal` aborts (a cancel or a shutdown).
 */
export async function sendWithRetries(
  request: () => SendRequest,
  { send, scheduleMs, jitter = 0.2, signal, sleep = abortableSleep }: RetryingSendOptions,
): Promise<SendResult & { attempts: number }> {
  let attempts = 0;
  for (;;) {
    attempts += 1;
    const result = await send(request(), signal);
    if (result.ok || result.refused || signal.aborted) return { ...result, attempts };
    const delay = scheduleMs[attempts - 1];
    if (delay === undefined) return { ...result, attempts };
    const jittered = delay * (1 - jitter + Math.random() * 2 * jitter);
    await sleep(Math.max(jittered, result.retryAfterMs ?? 0), signal);
    if (signal.aborted) return { ...result, attempts };
  }
}

/**
 * The wait before the next attempt after `attemptsMade` attempts failed, in ms: the schedule's
 * delay with `jitter` (a share taken from or added to it), at least what `Retry-After` asked for.
 * Undefined when the schedule has no attempt left (the delivery has failed for good).
 */
export function nextRetryDelayMs(
  attemptsMade: number,
  {
    scheduleMs,
    jitter = 0.2,
    retryAfterMs,
    random = Math.random,
  }: { scheduleMs: readonly number[]; jitter?: number; retryAfterMs?: number; random?: () => number },
): number | undefined {
  const delay = scheduleMs[attemptsMade - 1];
  if (delay === undefined || attemptsMade < 1) return undefined;
  const jittered = Math.round(delay * (1 - jitter + random() * 2 * jitter));
  return Math.max(jittered, retryAfterMs ?? 0);
}
