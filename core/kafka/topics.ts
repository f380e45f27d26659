import type { Admin } from 'kafkajs';
import type { KafkaConfig } from '../config/index.js';
import { EVENT_CATEGORIES, topicForCategory } from '../events/categories.js';

/** A topic the platform owns, created at start when it is missing. */
export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor: number;
  configEntries: { name: string; value: string }[];
}

/** The platform's topics: one per event category, plus the internal ones services register. */
export function eventTopicSpecs(config: KafkaConfig): TopicSpec[] {
  return EVENT_CATEGORIES.map((category) => ({
    topic: topicForCategory(category),
    numPartitions: config.topicPartitions,
    replicationFactor: config.topicReplication,
    configEntries: [
      { name: 'retention.ms', value: String(config.topicRetentionMs) },
      { name: 'cleanup.policy', value: 'delete' },
      // Record timestamps are the events' created_at; replay seeks by them.
      { name: 'message.timestamp.type', value: 'CreateTime' },
    ],
  }));
}

/** A compacted topic holding the latest state of each key (subscriptions, replay progress, …). */
export function compactedTopicSpec(topic: string, config: KafkaConfig, numPartitions = 1): TopicSpec {
  return {
    topic,
    numPartitions,
    replicationFactor: config.topicReplication,
    configEntries: [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'min.compaction.lag.ms', value: '60000' },
    ],
  };
}

/**
 * Creates the topics that are missing; existing ones are left as they are (partition counts only
 * grow by an operator's decision). Safe to call from several processes at once.
 */
export async function ensureTopics(admin: Admin, specs: readonly TopicSpec[]): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = specs.filter((spec) => !existing.has(spec.topic));
  if (missing.length === 0) return [];
  try {
    await admin.createTopics({ topics: missing.map((spec) => ({ ...spec })), waitForLeaders: true });
  } catch (error) {
    // Another process may have created them in between: only fail if some are still missing.
    const now = new Set(await admin.listTopics());
    if (missing.some((spec) => !now.has(spec.topic))) throw error;
  }
  return missing.map((spec) => spec.topic);
}
