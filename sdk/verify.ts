/**
 * Verifies a webhook delivery (Standard Webhooks) with the platform's own signing module: the
 * signature over `{id}.{timestamp}.{body}` with HMAC-SHA256, a timestamp within the tolerance, and a
 * constant-time comparison. WebCrypto only, so it runs in Node and in browsers alike.
 */
import { signWebhook, verifySignatureAsync, type ReceivedHeaders } from '../core/webhooks/signature.js';

export { signWebhook };

export class WebhookVerificationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookVerificationError';
  }
}

export interface VerifyWebhookOptions {
  /** How far the timestamp may be from now, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** Now, in ms (tests). Default `Date.now()`. */
  nowMs?: number;
}

/**
 * Checks a delivery and answers the event it carries; throws WebhookVerificationError otherwise.
 * Pass the raw body exactly as received (before any JSON parsing).
 */
export async function verifyWebhook<T = unknown>(
  body: string,
  headers: ReceivedHeaders,
  secret: string | string[],
  options: VerifyWebhookOptions = {},
): Promise<T> {
  const result = await verifySignatureAsync(secret, headers, body, options);
  if (!result.ok) throw new WebhookVerificationError(result.reason);
  return JSON.parse(body) as T;
}
