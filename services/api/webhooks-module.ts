import type { Platform } from '../../core/platform.js';
import { activeSecrets } from '../../core/webhooks/model.js';
import { createHttpSender } from '../../core/webhooks/sender.js';
import { createWebhookStore, type WebhookStore } from '../../core/webhooks/store.js';
import type { ApiModule } from './module.js';
import type { ReplayWebhook } from './routes/replay.js';
import { webhookRoutes } from './routes/webhooks.js';

export interface WebhooksModule extends ApiModule {
  /** The subscriptions, tailed from `webhooks.subscriptions`. */
  store: WebhookStore;
  /** The organization's webhook by id, or by URL (the newest with it), with its active secrets: for replays. */
  findWebhook(organizationId: string, by: { id?: string; url?: string }): ReplayWebhook | undefined;
}

/** The webhook subscriptions API: tails the subscriptions into memory and writes changes to Kafka. */
export async function createWebhooksModule(platform: Platform): Promise<WebhooksModule> {
  const { config, kafka, catalog, logger } = platform;
  const store = createWebhookStore({
    kafka,
    logger: logger.child({ component: 'webhooks-api' }),
    groupIdPrefix: 'rg-api-webhooks',
    catalog,
    kafkaConfig: config.kafka,
  });
  await store.start();
  const send = createHttpSender({
    timeoutMs: config.webhooks.timeoutMs,
    allowPrivate: config.webhooks.allowPrivate,
    maxSocketsPerHost: 4,
  });
  return {
    store,
    findWebhook(organizationId, { id, url }) {
      const subscription =
        id !== undefined ? store.get(id) : store.list(organizationId).find((candidate) => candidate.url === url);
      if (!subscription || subscription.organization_id !== organizationId) return undefined;
      return { id: subscription.id, url: subscription.url, secrets: activeSecrets(subscription) };
    },
    routes: webhookRoutes({
      catalog,
      store,
      send,
      allowPrivate: config.webhooks.allowPrivate,
      secretGraceMs: config.webhooks.secretGraceMs,
      maxPerOrganization: config.webhooks.maxPerOrganization,
    }),
    async stop() {
      send.close();
      await store.stop();
    },
  };
}
