/**
 * Verifies a webhook delivery (Standard Webhooks): the signature over `{id}.{timestamp}.{body}`
 * with HMAC-SHA256, a timestamp within the tolerance, and a constant-time comparison. Uses
 * WebCrypto, so it runs in Node 20 and in browsers alike.
 */

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

type Headers = Record<string, string | string[] | undefined> | { get(name: string): string | null };

function header(headers: Headers, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? record[Object.keys(record).find((key) => key.toLowerCase() === name) ?? ''];
  return Array.isArray(value) ? value[0] : value;
}

function base64ToBytes(text: string): Uint8Array {
  const binary = atob(text);
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** The key bytes: base64-decoded for a `whsec_` secret, UTF-8 otherwise. */
export function secretBytes(secret: string): Uint8Array {
  return secret.startsWith('whsec_') ? base64ToBytes(secret.slice('whsec_'.length)) : new TextEncoder().encode(secret);
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** The signature `v1,<base64>` of a payload (what the platform sends). */
export async function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    secretBytes(secret) as BufferSource,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${timestampSeconds}.${body}`));
  return `v1,${bytesToBase64(new Uint8Array(mac))}`;
}

/**
 * Checks a delivery and answers the event it carries; throws WebhookVerificationError otherwise.
 * Pass the raw body exactly as received (before any JSON parsing).
 */
export async function verifyWebhook<T = unknown>(
  body: string,
  headers: Headers,
  secret: string | string[],
  options: VerifyWebhookOptions = {},
): Promise<T> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures)
    throw new WebhookVerificationError('missing webhook-id, webhook-timestamp or webhook-signature header');
  if (!/^\d+$/.test(timestamp)) throw new WebhookVerificationError('invalid webhook-timestamp');
  const nowSeconds = Math.floor((options.nowMs ?? Date.now()) / 1000);
  const tolerance = options.toleranceSeconds ?? 300;
  const sentAt = Number(timestamp);
  if (sentAt < nowSeconds - tolerance) throw new WebhookVerificationError('webhook-timestamp is too old');
  if (sentAt > nowSeconds + tolerance) throw new WebhookVerificationError('webhook-timestamp is too far in the future');

  const offered = signatures
    .split(' ')
    .map((part) => part.split(','))
    .filter(([version, value]) => version === 'v1' && value)
    .map(([, value]) => value!);
  for (const candidate of Array.isArray(secret) ? secret : [secret]) {
    const expected = base64ToBytes((await signWebhook(candidate, id, sentAt, body)).slice(3));
    for (const value of offered) {
      let given: Uint8Array;
      try {
        given = base64ToBytes(value);
      } catch {
        continue;
      }
      if (constantTimeEqual(expected, given)) return JSON.parse(body) as T;
    }
  }
  throw new WebhookVerificationError('no matching signature');
}
