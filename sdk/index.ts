// The TypeScript SDK of the events API. Runs in Node 20+ and browsers (fetch, WebCrypto).
export { createClient, type Client } from './client.js';
export type { ClientOptions } from './http.js';
export type { SubscribeParams, Subscription } from './subscribe.js';
export { verifyWebhook, signWebhook, WebhookVerificationError, type VerifyWebhookOptions } from './verify.js';
export * from './errors.js';
export type * from './types.js';
