import type { Platform } from '../../core/platform.js';
import { compactedTopicSpec, ensureTopics } from '../../core/kafka/topics.js';
import { REPLAY_STATE_TOPIC } from './model.js';
import { DEFAULT_REPLAY_GROUP } from '../../core/config/index.js';
import { createReplayRunner } from './runner.js';
import { createHttpSender } from '../../core/webhooks/sender.js';
import type { Send } from '../../core/webhooks/retry.js';

export interface ReplayerOptions {
  /** How deliveries are sent; default: HTTP POST with the webhook timeout. */
  send?: Send;
}

/** The replay worker: runs the replays of its share of `replays.state`. */
export async function startReplayer(
  platform: Platform,
  options: ReplayerOptions = {},
): Promise<{ stop: () => Promise<void> }> {
  const { config, kafka, codec, catalog, logger } = platform;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [compactedTopicSpec(REPLAY_STATE_TOPIC, config.kafka, 6)]).finally(() =>
    admin.disconnect(),
  );
  const runner = createReplayRunner({
    kafka,
    codec,
    catalog,
    logger: logger.child({ component: 'replayer' }),
    send:
      options.send ??
      createHttpSender({ timeoutMs: config.webhooks.timeoutMs, allowPrivate: config.webhooks.allowPrivate }),
    retryScheduleMs: config.webhooks.retryScheduleMs,
    groupId: config.replay.groupId,
    defaultGroupId: DEFAULT_REPLAY_GROUP,
    maxRunning: config.replay.maxRunning,
    concurrency: config.replay.concurrency,
    maxRatePerSecond: config.replay.maxRatePerSecond,
    checkpointIntervalMs: config.replay.checkpointIntervalMs,
  });
  await runner.start();
  return { stop: () => runner.stop() };
}
