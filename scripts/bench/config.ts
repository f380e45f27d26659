import { loadConfig, type Config } from '../../core/config/index.js';

/** Benchmarks run against the local stack's defaults, quietly; flags override single settings. */
export function benchConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ RG_LOG_LEVEL: 'warn', RG_DEMO: 'off', ...overrides });
}
