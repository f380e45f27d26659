import { createLogger } from '../../core/log/logger.js';
import { createMetricsRegistry } from '../../core/metrics/registry.js';
import { createPlatform, type Platform } from '../../core/platform.js';
import { startApi, type RunningApi } from '../../services/api/start.js';
import { eventually, testConfig } from './config.js';

export const TEST_ADMIN_KEY = 'rg_test_admin_key';

/** API keys for a test: `key_<org>` belongs to `<org>`; the admin key may act for any. */
export function apiKeysFor(organizations: string[]): string {
  return [...organizations.map((org) => `key_${org}:${org}`), `${TEST_ADMIN_KEY}:*`].join(',');
}

export interface TestApi {
  url: string;
  platform: Platform;
  api: RunningApi;
  /** `fetch` against the API with a key (or none), JSON in and out. */
  call(
    method: string,
    path: string,
    options?: { key?: string | null; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{
    status: number; // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the route answered
    body: any;
    headers: Headers;
  }>;
  stop(): Promise<void>;
}

/**
 * The API on a free port. On a new stack under load, Kafka may still be electing the leaders of
 * new topics when the first test starts: a start refused for that is tried again.
 */
async function startApiWhenKafkaAnswers(platform: Platform): Promise<RunningApi> {
  const notLeader = (error: unknown) =>
    [error, (error as { cause?: unknown }).cause].some(
      (e) => (e as { type?: string } | undefined)?.type === 'NOT_LEADER_FOR_PARTITION',
    );
  const started: { api?: RunningApi; error?: unknown } = await eventually<{ api?: RunningApi; error?: unknown }>(
    async () => {
      try {
        return { api: await startApi(platform, { port: 0 }) };
      } catch (error) {
        return notLeader(error) ? undefined : { error };
      }
    },
    { timeoutMs: 60_000, intervalMs: 1000, what: 'the API to start (Kafka electing leaders)' },
  ).catch((error: unknown) => ({ error }));
  if (started.api) return started.api;
  await platform.close();
  throw started.error;
}

/** Starts the platform and the HTTP API on a free port, against the real local stack. */
export async function startTestApi({
  organizations,
  env = {},
}: {
  organizations: string[];
  env?: Record<string, string>;
}): Promise<TestApi> {
  const config = testConfig({ RG_API_KEYS: apiKeysFor(organizations), ...env });
  const logger = createLogger({ level: config.logLevel, base: { service: 'test-api' } });
  const platform = await createPlatform({
    config,
    logger,
    metrics: createMetricsRegistry({ defaultMetrics: false }),
    name: 'test-api',
  });
  const api = await startApiWhenKafkaAnswers(platform);
  const url = api.http.url;
  return {
    url,
    platform,
    api,
    async call(method, path, { key = `key_${organizations[0]}`, body, rawBody, headers = {} } = {}) {
      const response = await fetch(url + path, {
        method,
        headers: {
          ...(key ? { authorization: `Bearer ${key}` } : {}),
          ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
          ...headers,
        },
        ...(rawBody !== undefined ? { body: rawBody } : body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed, headers: response.headers };
    },
    async stop() {
      await api.stop();
      await platform.close();
    },
  };
}
