import type { Platform } from '../../core/platform.js';
import { createKeyedState } from '../../core/kafka/keyed-state.js';
import { compactedTopicSpec, ensureTopics } from '../../core/kafka/topics.js';
import { REPLAY_STATE_TOPIC, type ReplayState } from '../replayer/model.js';
import type { ApiModule } from './module.js';
import { replayRoutes, type ReplayWebhook } from './routes/replay.js';

export interface ReplayModuleOptions {
  findWebhook: (organizationId: string, by: { id?: string; url?: string }) => ReplayWebhook | undefined;
  checkUrl: (url: string) => string | undefined;
}

/** The replay API: tails `replays.state` into memory and writes new replays and cancels to it. */
export async function createReplayModule(platform: Platform, options: ReplayModuleOptions): Promise<ApiModule> {
  const { config, kafka, catalog, logger } = platform;
  const admin = kafka.admin();
  await admin.connect();
  await ensureTopics(admin, [compactedTopicSpec(REPLAY_STATE_TOPIC, config.kafka, 6)]).finally(() =>
    admin.disconnect(),
  );
  const store = createKeyedState<ReplayState>({
    kafka,
    topic: REPLAY_STATE_TOPIC,
    logger: logger.child({ component: 'replay-api' }),
    groupIdPrefix: 'rg-api-replays',
  });
  await store.start();
  return {
    routes: replayRoutes({
      catalog,
      kafka,
      store,
      countWaitMs: config.replay.countWaitMs,
      workerGroup: config.replay.groupId,
      retentionMs: config.kafka.topicRetentionMs,
      findWebhook: options.findWebhook,
      checkUrl: options.checkUrl,
    }),
    stop: () => store.stop(),
  };
}
