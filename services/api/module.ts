import type { Router } from 'express';
import type { Route } from './http/route.js';
import type { OpenApiPaths } from './openapi/document.js';

/** One area of the HTTP API (publish, history, webhooks, stream, replay). */
export interface ApiModule {
  /** Declared routes under `/api/v1`, after authentication: validated, and documented in /openapi.json. */
  routes?: Route[];
  /** Declared routes under `/api/v1` before authentication (they authenticate themselves). */
  publicRoutes?: Route[];
  /** Routers mounted under `/api/v1`, after authentication (routes not declared with `defineRoute`). */
  routers?: Router[];
  /** Routers mounted under `/api/v1` before authentication (they authenticate themselves). */
  publicRouters?: Router[];
  /** This area's part of the OpenAPI document, beyond its declared routes. */
  openapi?: OpenApiPaths;
  /** Called on shutdown, before the platform's clients close; e.g. to tell SSE clients to reconnect. */
  stop?: () => Promise<void>;
}
