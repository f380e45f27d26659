import { configFromProcessEnv, type Config } from '../config/index.js';
import { ConfigError, errorMessage } from '../errors/index.js';
import { createLogger, type Logger } from '../log/logger.js';
import { createMetricsRegistry, type Registry } from '../metrics/registry.js';
import { createPlatform, type Platform } from '../platform.js';
import { provisionPlatform } from '../provision.js';

export interface ServiceContext {
  config: Config;
  logger: Logger;
  metrics: Registry;
}

/** What a started service hands back: how to stop it gracefully. */
export type StopService = () => Promise<void>;

/**
 * Runs a service's `main`: reads and validates the configuration (a bad value stops the process
 * with a message naming the variable), starts the service, and on SIGINT/SIGTERM stops it
 * gracefully (flushing producers, committing offsets), with a hard deadline.
 */
export async function runService(
  name: string,
  start: (context: ServiceContext) => Promise<StopService>,
  { shutdownDeadlineMs = 30_000 } = {},
): Promise<void> {
  let config: Config;
  try {
    config = configFromProcessEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`configuration error: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, base: { service: name } });
  const metrics = createMetricsRegistry();

  process.on('unhandledRejection', (reason) => logger.error('unhandled rejection', { error: reason }));

  let stop: StopService;
  try {
    stop = await start({ config, logger, metrics });
  } catch (error) {
    logger.error('failed to start', { error: errorMessage(error) });
    process.exit(1);
  }
  logger.info('started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    const deadline = setTimeout(() => {
      logger.error('shutdown deadline passed, exiting');
      process.exit(1);
    }, shutdownDeadlineMs);
    deadline.unref();
    try {
      await stop();
      logger.info('stopped');
      process.exit(0);
    } catch (error) {
      logger.error('shutdown failed', { error });
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/**
 * `runService` for a service built on the shared clients: provisions topics and migrations,
 * creates the platform, starts the service, and on shutdown stops it before closing the clients.
 */
export function runPlatformService(
  name: string,
  start: (platform: Platform) => Promise<{ stop: StopService }>,
): Promise<void> {
  return runService(name, async ({ config, logger, metrics }) => {
    await provisionPlatform({ config, logger });
    const platform = await createPlatform({ config, logger, metrics, name });
    const service = await start(platform);
    return async () => {
      await service.stop();
      await platform.close();
    };
  });
}
