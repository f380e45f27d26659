import { Router } from 'express';
import type { Registry } from '../../../core/metrics/registry.js';

export interface HealthRoutesOptions {
  metrics: Registry;
  /** Whether each backing part answers. */
  checkReadiness: () => Promise<Record<string, boolean>>;
}

/** `/healthz` (the process is alive), `/readyz` (its backing parts answer), `/metrics`. */
export function healthRoutes({ metrics, checkReadiness }: HealthRoutesOptions): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const checks = await checkReadiness();
    const ready = Object.values(checks).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'unavailable', checks });
  });
  router.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
  return router;
}
