import { loadConfig, stackAddressesFromProcessEnv, type Config } from '../../core/config/index.js';

/** Benchmarks run against the local stack (its addresses from RG_* variables when set), quietly; flags override single settings. */
export function benchConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ ...stackAddressesFromProcessEnv(), RG_LOG_LEVEL: 'warn', RG_DEMO: 'off', ...overrides });
}
