import { loadConfig, stackAddressesFromProcessEnv, type Config } from '../../core/config/index.js';

/** The platform's configuration as the test suite runs it: the local stack's defaults, quiet logs. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    ...stackAddressesFromProcessEnv(),
    RG_ENV: 'test',
    RG_LOG_LEVEL: 'warn',
    RG_DEMO: 'off',
    RG_API_PORT: '0',
    RG_WEBHOOK_ALLOW_PRIVATE: 'true',
    ...overrides,
  });
}

/** A fresh organization id per test, so that tests sharing the stack never see each other's events. */
export function uniqueOrganization(prefix = 'org_test'): string {
  return `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`,
      );
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
