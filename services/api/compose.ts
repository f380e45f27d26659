import type { Platform } from '../../core/platform.js';
import type { ApiModule } from './module.js';
import { publishRoutes } from './routes/publish.js';
import { createReplayModule } from './replay-module.js';
import { createDeliveriesModule } from './deliveries-module.js';
import { createWebhooksModule } from './webhooks-module.js';
import { checkWebhookUrl } from '../../core/webhooks/url-policy.js';
import { historyRoutes } from './routes/history.js';
import { createStreamModule } from '../stream/module.js';
import { createConsoleModule } from './console-module.js';

/**
 * The API's areas, each built from the shared platform clients. One line per area: the order is
 * the order of route matching.
 */
export async function createApiModules(platform: Platform): Promise<ApiModule[]> {
  const { config, catalog, producer } = platform;
  const webhooks = await createWebhooksModule(platform);
  return [
    { routes: publishRoutes({ catalog, producer, maxBatchEvents: config.api.maxBatchEvents }) },
    webhooks,
    await createStreamModule(platform), // before replay and history: `GET /events/subscribe` is not an event id
    // Before history: `GET /events/replay` must not be taken for an event id.
    await createReplayModule(platform, {
      findWebhook: webhooks.findWebhook,
      checkUrl: (url) => checkWebhookUrl(url, { allowPrivate: config.webhooks.allowPrivate }),
    }),
    createDeliveriesModule(platform, { webhooks: webhooks.store }),
    createConsoleModule(platform, { webhooks: webhooks.store }),
    { routes: historyRoutes({ clickhouse: platform.clickhouse, catalog, cursorSecret: config.history.cursorSecret }) },
  ];
}
