import type { Platform } from '../../core/platform.js';
import type { ApiModule } from './module.js';
import { publishPaths } from './openapi/publish.js';
import { publishRoutes } from './routes/publish.js';
import { createReplayModule } from './replay-module.js';
import { historyRoutes } from './routes/history.js';
import { historyPaths } from './openapi/history.js';

/**
 * The API's areas, each built from the shared platform clients. One line per area: the order is
 * the order of route matching.
 */
export async function createApiModules(platform: Platform): Promise<ApiModule[]> {
  const { config, catalog, producer } = platform;
  return [
    { routers: [publishRoutes({ catalog, producer, maxBatchEvents: config.api.maxBatchEvents })], openapi: publishPaths },
    // Before history: `GET /events/replay` must not be taken for an event id.
    await createReplayModule(platform, { findWebhook: () => undefined, checkUrl: (url) => temporaryUrlCheck(url, config.webhooks.allowPrivate) }),
    { routers: [historyRoutes({ clickhouse: platform.clickhouse, catalog, cursorSecret: config.history.cursorSecret })], openapi: historyPaths },
  ];
}

// TEMPORARY until the webhooks area lands: its URL rules replace this.
function temporaryUrlCheck(url: string, allowPrivate: boolean): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'is not a valid URL';
  }
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:')) return 'must be an https URL';
  if (parsed.username || parsed.password) return 'must not hold credentials';
  return undefined;
}
