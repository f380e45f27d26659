import { createHmac, timingSafeEqual } from 'node:crypto';

// Standard Webhooks signing (https://www.standardwebhooks.com): the key is the secret's bytes.
function keyOf(secret: string): Buffer {
  return secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
}

function sign(secret: string, id: string, timestampSeconds: number, body: string): Buffer {
  return createHmac('sha256', keyOf(secret)).update(`${id}.${timestampSeconds}.${body}`).digest();
}

/** Standard Webhooks headers for one attempt, one signature per active secret. */
export function signatureHeaders(
  secrets: readonly string[],
  id: string,
  body: string,
  nowMs = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  const signatures = secrets.map((secret) => `v1,${sign(secret, id, timestamp, body).toString('base64')}`);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatures.join(' ') };
}

/** Request headers as Node (`req.headers`) or fetch (`Headers`) give them. */
export type ReceivedHeaders = Record<string, string | string[] | undefined> | { get(name: string): string | null };

function header(headers: ReceivedHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function')
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const key = name in record ? name : Object.keys(record).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : record[key];
  return Array.isArray(value) ? value[0] : value;
}

export interface VerifySignatureOptions {
  /** How far `webhook-timestamp` may be from now, in seconds. Default 300 (5 minutes). */
  toleranceSeconds?: number;
  /** Now, in epoch ms. Default `Date.now()`. */
  nowMs?: number;
}

export type VerifyResult = { ok: true; id: string; timestampSeconds: number } | { ok: false; reason: string };

/**
 * Checks a delivery as a receiver should (Standard Webhooks): the three headers are present, the
 * timestamp is within the tolerance, and one `v1,` signature matches one of `secrets` (several
 * during a rotation), compared in constant time. `body` must be the raw body as received.
 */
export function verifySignature(
  secrets: string | readonly string[],
  headers: ReceivedHeaders,
  body: string,
  { toleranceSeconds = 300, nowMs = Date.now() }: VerifySignatureOptions = {},
): VerifyResult {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures)
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'invalid webhook-timestamp' };
  const sentAt = Number(timestamp);
  const nowSeconds = Math.floor(nowMs / 1000);
  if (sentAt < nowSeconds - toleranceSeconds) return { ok: false, reason: 'webhook-timestamp is too old' };
  if (sentAt > nowSeconds + toleranceSeconds)
    return { ok: false, reason: 'webhook-timestamp is too far in the future' };

  const offered = signatures
    .split(' ')
    .map((part) => part.split(','))
    .filter(([version, value]) => version === 'v1' && value)
    .map(([, value]) => Buffer.from(value!, 'base64'));
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    const expected = sign(secret, id, sentAt, body);
    // timingSafeEqual needs equal lengths; a length mismatch reveals nothing about the key.
    if (offered.some((given) => given.length === expected.length && timingSafeEqual(given, expected)))
      return { ok: true, id, timestampSeconds: sentAt };
  }
  return { ok: false, reason: 'no matching signature' };
}
