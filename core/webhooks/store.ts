import type { Kafka } from 'kafkajs';
import { loadConfig, type KafkaConfig } from '../config/index.js';
import { eventCatalog, type EventCatalog } from '../events/catalog.js';
import { resolveTypeFilter } from '../events/type-filter.js';
import { createKeyedState, type KeyedState } from '../kafka/keyed-state.js';
import { compactedTopicSpec, ensureTopics } from '../kafka/topics.js';
import type { Logger } from '../log/logger.js';
import { WEBHOOK_SUBSCRIPTIONS_TOPIC, type WebhookSubscription } from './model.js';

export interface WebhookStoreOptions {
  kafka: Kafka;
  logger: Logger;
  /** Consumer group prefix, e.g. `rg-api-webhooks` or `rg-dispatcher-webhooks` (made unique per process). */
  groupIdPrefix: string;
  /** Resolves `events` patterns. Default: the platform's catalogue. */
  catalog?: EventCatalog;
  /** The platform's Kafka settings (the replication of the topic when created). Default: the defaults of `loadConfig`. */
  kafkaConfig?: KafkaConfig;
  /** Longest wait for new records, in ms: bounds how late a change is seen. Default 250. */
  maxWaitMs?: number;
}

/** Called on every change: the new record (undefined once deleted) and the one it replaced. */
export type WebhookChangeListener = (
  id: string,
  subscription: WebhookSubscription | undefined,
  previous: WebhookSubscription | undefined,
) => void;

/**
 * Every webhook subscription, tailed into memory from the compacted `webhooks.subscriptions`
 * topic: each process (API, dispatchers) holds all of them and sees a change within a second.
 */
export interface WebhookStore {
  /** Creates the topic when missing and reads it to its end. */
  start(): Promise<void>;
  get(id: string): WebhookSubscription | undefined;
  /** The organization's subscriptions, newest first. */
  list(organizationId: string): WebhookSubscription[];
  /** The organization's enabled subscriptions whose `events` patterns match `type`. */
  matching(organizationId: string, type: string): WebhookSubscription[];
  /** Writes a subscription; resolves once Kafka has it and this process sees it. */
  put(subscription: WebhookSubscription): Promise<void>;
  delete(id: string): Promise<void>;
  onChange(listener: WebhookChangeListener): () => void;
  stop(): Promise<void>;
}

interface Indexed {
  subscription: WebhookSubscription;
  matches: (type: string) => boolean;
}

/** A matcher for stored patterns; a pattern the catalogue no longer knows matches nothing rather than failing the rest. */
export function compilePatterns(catalog: EventCatalog, patterns: readonly string[]): (type: string) => boolean {
  const filters = patterns
    .map((pattern) => resolveTypeFilter(catalog, [pattern]).filter)
    .filter((filter) => filter !== undefined);
  if (filters.some((filter) => filter.all)) return () => true;
  const types = new Set(filters.flatMap((filter) => [...filter.types]));
  return (type) => types.has(type);
}

export function createWebhookStore({
  kafka,
  logger,
  groupIdPrefix,
  catalog = eventCatalog(),
  kafkaConfig,
  maxWaitMs = 250,
}: WebhookStoreOptions): WebhookStore {
  const state: KeyedState<WebhookSubscription> = createKeyedState({
    kafka,
    topic: WEBHOOK_SUBSCRIPTIONS_TOPIC,
    logger: logger.child({ component: 'webhook-store' }),
    groupIdPrefix,
    maxWaitMs,
  });
  const byOrganization = new Map<string, Map<string, Indexed>>();
  const organizationOf = new Map<string, string>();
  const listeners = new Set<WebhookChangeListener>();

  state.onChange((id, subscription) => {
    const previousOrganization = organizationOf.get(id);
    const previous =
      previousOrganization === undefined ? undefined : byOrganization.get(previousOrganization)?.get(id)?.subscription;
    if (previousOrganization !== undefined) {
      const entries = byOrganization.get(previousOrganization);
      entries?.delete(id);
      if (entries?.size === 0) byOrganization.delete(previousOrganization);
      organizationOf.delete(id);
    }
    if (subscription) {
      const entries = byOrganization.get(subscription.organization_id) ?? new Map<string, Indexed>();
      entries.set(id, { subscription, matches: compilePatterns(catalog, subscription.events) });
      byOrganization.set(subscription.organization_id, entries);
      organizationOf.set(id, subscription.organization_id);
    }
    for (const listener of listeners) {
      try {
        listener(id, subscription, previous);
      } catch (error) {
        logger.error('webhook change listener failed', { webhook_id: id, error });
      }
    }
  });

  const entriesOf = (organizationId: string) => [...(byOrganization.get(organizationId)?.values() ?? [])];

  return {
    async start() {
      const admin = kafka.admin();
      await admin.connect();
      // One partition: every process reads the whole topic anyway, and one keeps all writes in order.
      await ensureTopics(admin, [
        compactedTopicSpec(WEBHOOK_SUBSCRIPTIONS_TOPIC, kafkaConfig ?? loadConfig({}).kafka, 1),
      ]).finally(() => admin.disconnect());
      await state.start();
    },
    get: (id) => state.get(id),
    list: (organizationId) =>
      entriesOf(organizationId)
        .map((entry) => entry.subscription)
        .sort((a, b) => b.created_at_ms - a.created_at_ms || (a.id < b.id ? 1 : -1)),
    matching: (organizationId, type) =>
      entriesOf(organizationId)
        .filter((entry) => entry.subscription.enabled && entry.matches(type))
        .map((entry) => entry.subscription),
    put: (subscription) => state.put(subscription.id, subscription),
    delete: (id) => state.put(id, null),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop: () => state.stop(),
  };
}
