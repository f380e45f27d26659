/**
 * Standard Webhooks (https://www.standardwebhooks.com) signing and verifying: the one implementation,
 * used by the dispatcher, the replay worker, the test delivery, the CLI's `listen` and the SDK.
 *
 * It has no static Node import, so the SDK runs it in browsers, where WebCrypto signs (async). On
 * the server, Node's crypto (reached through `process.getBuiltinModule`) signs synchronously: once
 * per delivery attempt, with no extra turn of the event loop.
 */

export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

/** A secret written `whsec_<base64>` is keyed by the decoded bytes; any other by its UTF-8 bytes. */
export const SECRET_PREFIX = 'whsec_';
/** How far `webhook-timestamp` may be from the receiver's clock, in seconds: 5 minutes. */
export const DEFAULT_TOLERANCE_SECONDS = 300;
/** `webhook-timestamp`: unix seconds, digits only. 12 digits reach the year 33658. */
const TIMESTAMP = /^\d{1,12}$/;

type NodeCrypto = typeof import('node:crypto');
const nodeCrypto = (
  globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
).process?.getBuiltinModule?.('node:crypto') as NodeCrypto | undefined;

const encoder = new TextEncoder();

/** The HMAC key of a secret. */
export function webhookKey(secret: string): Uint8Array {
  if (!secret.startsWith(SECRET_PREFIX)) return encoder.encode(secret);
  return Uint8Array.from(atob(secret.slice(SECRET_PREFIX.length)), (char) => char.charCodeAt(0));
}

/** What is signed: `{webhook-id}.{webhook-timestamp}.{body}`. */
export function signedContent(id: string, timestampSeconds: number, body: string): string {
  return `${id}.${timestampSeconds}.${body}`;
}

function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

// The server signs every attempt with the same few secrets: their keys are made once.
const nodeKeys = new Map<string, import('node:crypto').KeyObject>();
const MAX_CACHED_KEYS = 10_000;

/** `v1,<base64 HMAC-SHA256>`, synchronously (Node). */
function signSync(secret: string, id: string, timestampSeconds: number, body: string): string {
  if (!nodeCrypto) throw new Error('synchronous webhook signing needs Node; use signWebhook elsewhere');
  let key = nodeKeys.get(secret);
  if (!key) {
    if (nodeKeys.size >= MAX_CACHED_KEYS) nodeKeys.clear();
    key = nodeCrypto.createSecretKey(webhookKey(secret));
    nodeKeys.set(secret, key);
  }
  const mac = nodeCrypto.createHmac('sha256', key);
  return `v1,${mac.update(signedContent(id, timestampSeconds, body)).digest('base64')}`;
}

/** `v1,<base64 HMAC-SHA256>` of one delivery, with WebCrypto (Node and browsers). */
export async function signWebhook(secret: string, id: string, timestampSeconds: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    'raw',
    webhookKey(secret) as BufferSource,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = await crypto.subtle.sign('HMAC', key, encoder.encode(signedContent(id, timestampSeconds, body)));
  return `v1,${bytesToBase64(new Uint8Array(mac))}`;
}

/** The three Standard Webhooks headers of one attempt, one signature per active secret (Node). */
export function signatureHeaders(
  secrets: readonly string[],
  id: string,
  body: string,
  nowMs = Date.now(),
): Record<string, string> {
  const timestamp = Math.floor(nowMs / 1000);
  return {
    [WEBHOOK_HEADERS.id]: id,
    [WEBHOOK_HEADERS.timestamp]: String(timestamp),
    [WEBHOOK_HEADERS.signature]: secrets.map((secret) => signSync(secret, id, timestamp, body)).join(' '),
  };
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
  /** Now, in ms since the epoch. Default `Date.now()`. */
  nowMs?: number;
}

export type VerifyResult = { ok: true; id: string; timestampSeconds: number } | { ok: false; reason: string };

type Received = { ok: false; reason: string } | { ok: true; id: string; timestampSeconds: number; offered: string[] };

/** The headers' checks that need no key: present, a timestamp within the tolerance, the `v1` signatures. */
function readHeaders(
  headers: ReceivedHeaders,
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, nowMs = Date.now() }: VerifySignatureOptions,
): Received {
  const id = header(headers, WEBHOOK_HEADERS.id);
  const timestamp = header(headers, WEBHOOK_HEADERS.timestamp);
  const signatures = header(headers, WEBHOOK_HEADERS.signature);
  if (!id || !timestamp || !signatures)
    return { ok: false, reason: 'missing webhook-id, webhook-timestamp or webhook-signature header' };
  if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: 'invalid webhook-timestamp' };
  const sentAt = Number(timestamp);
  const nowSeconds = Math.floor(nowMs / 1000);
  if (sentAt < nowSeconds - toleranceSeconds) return { ok: false, reason: 'webhook-timestamp is too old' };
  if (sentAt > nowSeconds + toleranceSeconds)
    return { ok: false, reason: 'webhook-timestamp is too far in the future' };
  const offered = signatures.split(' ').filter((signature) => signature.startsWith('v1,') && signature.length > 3);
  return { ok: true, id, timestampSeconds: sentAt, offered };
}

/** Equal strings, in a time that depends on their lengths only. */
function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i += 1) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const NO_MATCH: VerifyResult = { ok: false, reason: 'no matching signature' };

/**
 * Checks a delivery as a receiver should, synchronously (Node): the three headers are present, the
 * timestamp is within the tolerance, and one `v1,` signature matches one of `secrets` (several
 * during a rotation), compared in constant time. `body` must be the raw body as received.
 */
export function verifySignature(
  secrets: string | readonly string[],
  headers: ReceivedHeaders,
  body: string,
  options: VerifySignatureOptions = {},
): VerifyResult {
  const received = readHeaders(headers, options);
  if (!received.ok) return received;
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    const expected = signSync(secret, received.id, received.timestampSeconds, body);
    if (received.offered.some((given) => constantTimeEqual(given, expected)))
      return { ok: true, id: received.id, timestampSeconds: received.timestampSeconds };
  }
  return NO_MATCH;
}

/** `verifySignature` with WebCrypto: the same checks, in browsers too. */
export async function verifySignatureAsync(
  secrets: string | readonly string[],
  headers: ReceivedHeaders,
  body: string,
  options: VerifySignatureOptions = {},
): Promise<VerifyResult> {
  const received = readHeaders(headers, options);
  if (!received.ok) return received;
  for (const secret of typeof secrets === 'string' ? [secrets] : secrets) {
    const expected = await signWebhook(secret, received.id, received.timestampSeconds, body);
    if (received.offered.some((given) => constantTimeEqual(given, expected)))
      return { ok: true, id: received.id, timestampSeconds: received.timestampSeconds };
  }
  return NO_MATCH;
}
