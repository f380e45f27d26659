import type { Platform } from '../../core/platform.js';
import type { WebhookStore } from '../../core/webhooks/store.js';
import type { ApiModule } from './module.js';
import { eventTypeRoutes } from './routes/event-types.js';
import { overviewRoutes } from './routes/overview.js';
import { whoamiRoutes } from './routes/whoami.js';

export interface ConsoleModuleOptions {
  /** The subscriptions the API already tails (the webhooks module's store). */
  webhooks: Pick<WebhookStore, 'get'>;
}

/**
 * The routes the web console needs beyond the others: who a key is (`/whoami`), the event
 * catalogue with fields and examples (`/event-types`), and the overview's figures (`/overview`).
 * Every client may use them; the console's static files are served by `http/console.ts`.
 */
export function createConsoleModule(platform: Platform, { webhooks }: ConsoleModuleOptions): ApiModule {
  const { config, catalog, clickhouse, kafka } = platform;
  const overview = overviewRoutes({
    clickhouse,
    kafka,
    sinkGroupId: config.history.sinkGroupId,
    findWebhook: (id) => webhooks.get(id),
  });
  return {
    routes: [...whoamiRoutes({ keys: config.api.keys }), ...eventTypeRoutes({ catalog }), ...overview.routes],
    stop: () => overview.close(),
  };
}
