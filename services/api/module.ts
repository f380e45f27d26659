import type { Router } from 'express';
import type { OpenApiPaths } from './openapi/document.js';

/** One area of the HTTP API (publish, history, webhooks, stream, replay). */
export interface ApiModule {
  /** Routers mounted under `/api/v1`, after authentication. */
  routers?: Router[];
  /** Routers mounted under `/api/v1` before authentication (they authenticate themselves). */
  publicRouters?: Router[];
  /** This area's part of the OpenAPI document. */
  openapi?: OpenApiPaths;
  /** Called on shutdown, before the platform's clients close; e.g. to tell SSE clients to reconnect. */
  stop?: () => Promise<void>;
}
