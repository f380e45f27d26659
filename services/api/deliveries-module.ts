import type { Platform } from '../../core/platform.js';
import { createWebhookStore, type WebhookStore } from '../../core/webhooks/store.js';
import type { ApiModule } from './module.js';
import { deliveriesPaths } from './openapi/deliveries.js';
import { deliveriesRoutes } from './routes/deliveries.js';

export interface DeliveriesModuleOptions {
  /** The subscriptions, when the API already tails them; default: a store of this module's own. */
  webhooks?: Pick<WebhookStore, 'get'>;
}

/** The delivery log API (`GET /webhooks/{id}/deliveries`), read from ClickHouse's `webhook_deliveries`. */
export async function createDeliveriesModule(platform: Platform, options: DeliveriesModuleOptions = {}): Promise<ApiModule> {
  const { config, kafka, logger, clickhouse } = platform;
  let own: WebhookStore | undefined;
  if (!options.webhooks) {
    own = createWebhookStore({ kafka, logger: logger.child({ component: 'deliveries-api' }), groupIdPrefix: 'rg-api-deliveries', kafkaConfig: config.kafka });
    await own.start();
  }
  const webhooks = options.webhooks ?? own!;
  return {
    routers: [deliveriesRoutes({ clickhouse, findWebhook: (id) => webhooks.get(id), cursorSecret: config.history.cursorSecret })],
    openapi: deliveriesPaths,
    ...(own ? { stop: () => own.stop() } : {}),
  };
}
