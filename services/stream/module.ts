import type { Platform } from '../../core/platform.js';
import type { ApiModule } from '../api/module.js';
import { createStreamHub } from './hub.js';
import { streamMetrics } from './metrics.js';
import { pathsOf } from '../api/http/route.js';
import { streamRoute, type StreamRegistry } from './route.js';

/**
 * The live stream (`GET /api/v1/events/subscribe`) as an area of the API process: one shared
 * Kafka consumer (the hub) feeding every connection of the process. `stop` tells every client to
 * reconnect (a `retry:` hint, then the stream ends) before the consumer leaves.
 */
export async function createStreamModule(platform: Platform): Promise<ApiModule> {
  const { config, kafka, codec, catalog, logger } = platform;
  const metrics = streamMetrics(platform.metrics);
  const log = logger.child({ component: 'stream' });
  const hub = createStreamHub({ kafka, codec, catalog, logger: log, metrics });
  await hub.start();
  const registry: StreamRegistry = { connections: new Set(), stopping: false };
  const stream = streamRoute(
    { config: config.stream, keys: config.api.keys, kafka, codec, catalog, hub, logger: log, metrics },
    registry,
  );
  return {
    publicRouters: [stream.router],
    openapi: pathsOf(stream.routes),
    async stop() {
      registry.stopping = true;
      for (const connection of [...registry.connections]) connection.end(config.stream.retryHintMs);
      await hub.stop();
    },
  };
}
