import express, { type Router } from 'express';
import { randomUUID } from 'node:crypto';
import type { ApiConfig } from '../../core/config/index.js';
import type { Logger } from '../../core/log/logger.js';
import {
  Counter,
  getOrCreate,
  Histogram,
  LATENCY_BUCKETS_SECONDS,
  type Registry,
} from '../../core/metrics/registry.js';
import { authenticate } from './http/auth.js';
import { consoleRoutes } from './http/console.js';
import { errorHandler, notFoundHandler } from './http/errors.js';
import { methodNotAllowed, optionsOf } from './http/route.js';
import { healthRoutes } from './routes/health.js';

export interface ApiAppOptions {
  config: ApiConfig;
  logger: Logger;
  metrics: Registry;
  checkReadiness: () => Promise<Record<string, boolean>>;
  /** Routers mounted under `/api/v1` after authentication. */
  routers: Router[];
  /** Routers mounted under `/api/v1` before authentication (they authenticate themselves, e.g. SSE). */
  publicRouters?: Router[];
  /** The OpenAPI document served at `/api/v1/openapi.json`. */
  openapi?: () => object;
  /** The API's paths and their methods: another method on one of them answers 405. */
  paths?: Record<string, object>;
}

/** The HTTP API: one express app that services mount their routes into. */
export function createApiApp(options: ApiAppOptions): express.Express {
  const { config, logger, metrics } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'extended');

  const requests = getOrCreate(
    metrics,
    'rg_http_requests_total',
    () =>
      new Counter({
        name: 'rg_http_requests_total',
        help: 'HTTP requests by route and status.',
        labelNames: ['method', 'route', 'status'],
        registers: [metrics],
      }),
  );
  const duration = getOrCreate(
    metrics,
    'rg_http_request_duration_seconds',
    () =>
      new Histogram({
        name: 'rg_http_request_duration_seconds',
        help: 'HTTP request duration.',
        labelNames: ['method', 'route'],
        buckets: LATENCY_BUCKETS_SECONDS,
        registers: [metrics],
      }),
  );

  app.use((req, res, next) => {
    const requestId = req.get('x-request-id')?.slice(0, 128) || `req_${randomUUID().replaceAll('-', '')}`;
    res.setHeader('X-Request-Id', requestId);
    const stop = duration.startTimer();
    res.on('finish', () => {
      const route = (req.route?.path as string | undefined) ?? 'unmatched';
      requests.inc({ method: req.method, route, status: String(res.statusCode) });
      stop({ method: req.method, route });
    });
    next();
  });

  if (config.corsOrigins.length) {
    app.use((req, res, next) => {
      const origin = req.get('origin');
      if (origin && (config.corsOrigins.includes('*') || config.corsOrigins.includes(origin))) {
        res.setHeader('Access-Control-Allow-Origin', config.corsOrigins.includes('*') ? '*' : origin);
        res.setHeader('Vary', 'Origin');
        res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, Last-Event-ID, RG-Organization-Id');
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, DELETE, OPTIONS');
        res.setHeader('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After');
      }
      if (req.method === 'OPTIONS') {
        res.status(204).end();
        return;
      }
      next();
    });
  }

  app.use(healthRoutes({ metrics, checkReadiness: options.checkReadiness }));

  const api = express.Router();
  const paths = options.paths && { '/openapi.json': { get: {} }, ...options.paths };
  if (paths) api.use(optionsOf(paths));
  api.use(express.json({ limit: config.maxBodyBytes, type: 'application/json' }));
  if (options.openapi) {
    const document = options.openapi;
    api.get('/openapi.json', (_req, res) => {
      res.json(document());
    });
  }
  for (const router of options.publicRouters ?? []) api.use(router);
  api.use(authenticate(config.keys));
  for (const router of options.routers) api.use(router);
  if (paths) api.use(methodNotAllowed(paths));
  api.use(notFoundHandler);
  app.use('/api/v1', api);
  app.use('/console', consoleRoutes());

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
