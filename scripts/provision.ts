// Creates the platform's Kafka topics and applies the ClickHouse migrations (idempotent).
// scripts/stack up runs it; every service also does the same at start.
import { configFromProcessEnv } from '../core/config/index.js';
import { createLogger } from '../core/log/logger.js';
import { provisionPlatform } from '../core/provision.js';

const config = configFromProcessEnv();
const logger = createLogger({
  level: config.logLevel === 'info' ? 'warn' : config.logLevel,
  base: { service: 'provision' },
});
try {
  const { createdTopics, appliedMigrations } = await provisionPlatform({ config, logger });
  if (createdTopics.length) console.error(`[stack] created topics: ${createdTopics.join(', ')}`);
  if (appliedMigrations.length) console.error(`[stack] applied migrations: ${appliedMigrations.join(', ')}`);
  process.exit(0);
} catch (error) {
  console.error(`[stack] provisioning failed: ${(error as Error).message}`);
  process.exit(1);
}
