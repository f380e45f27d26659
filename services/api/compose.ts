import type { Platform } from '../../core/platform.js';
import type { ApiModule } from './module.js';
import { publishPaths } from './openapi/publish.js';
import { publishRoutes } from './routes/publish.js';

/**
 * The API's areas, each built from the shared platform clients. One line per area: the order is
 * the order of route matching.
 */
export async function createApiModules(platform: Platform): Promise<ApiModule[]> {
  const { config, catalog, producer } = platform;
  return [
    { routers: [publishRoutes({ catalog, producer, maxBatchEvents: config.api.maxBatchEvents })], openapi: publishPaths },
  ];
}
