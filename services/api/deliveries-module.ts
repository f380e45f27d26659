import type { Platform } from '../../core/platform.js';
import type { WebhookStore } from '../../core/webhooks/store.js';
import type { ApiModule } from './module.js';
import { deliveriesRoutes } from './routes/deliveries.js';

export interface DeliveriesModuleOptions {
  /** The subscriptions the API already tails (the webhooks module's store). */
  webhooks: Pick<WebhookStore, 'get'>;
}

/** The delivery log API (`GET /webhooks/{id}/deliveries`), read from ClickHouse's `webhook_deliveries`. */
export function createDeliveriesModule(platform: Platform, { webhooks }: DeliveriesModuleOptions): ApiModule {
  const { config, clickhouse } = platform;
  return {
    routes: deliveriesRoutes({
      clickhouse,
      findWebhook: (id) => webhooks.get(id),
      cursorSecret: config.history.cursorSecret,
    }),
  };
}
