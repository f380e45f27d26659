import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { loadConfig, parseApiKeys } from './index.js';
import { parseDurationMs } from './parse.js';

describe('loadConfig', () => {
  it('has defaults for the local stack', () => {
    const config = loadConfig({});
    expect(config.api.port).toBe(8080);
    expect(config.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(config.schemaRegistry.url).toBe('http://127.0.0.1:8081/apis/ccompat/v7');
    expect(config.clickhouse.url).toBe('http://127.0.0.1:8123');
    expect(config.webhooks.allowPrivate).toBe(false);
    expect(config.kafka.fetchMaxBytes).toBe(1024 * 1024);
    // The default retry schedule reaches about three days.
    const totalHours = config.webhooks.retryScheduleMs.reduce((a, b) => a + b, 0) / 3_600_000;
    expect(totalHours).toBeGreaterThan(60);
    expect(totalHours).toBeLessThan(84);
  });

  it('is frozen all the way down', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.api.keys)).toBe(true);
    expect(() => {
      (config.api as { port: number }).port = 1;
    }).toThrow();
  });

  it.each([
    ['RG_API_PORT', 'eighty', /RG_API_PORT: expected a whole number/],
    ['RG_API_PORT', '70000', /RG_API_PORT: must be between 0 and 65535/],
    ['RG_KAFKA_BROKERS', 'localhost', /RG_KAFKA_BROKERS: "localhost" is not host:port/],
    ['RG_SCHEMA_REGISTRY_URL', 'not a url', /RG_SCHEMA_REGISTRY_URL: expected a URL/],
    ['RG_CLICKHOUSE_URL', 'ftp://x', /RG_CLICKHOUSE_URL: expected a http: or https: URL/],
    ['RG_WEBHOOK_ALLOW_PRIVATE', 'maybe', /RG_WEBHOOK_ALLOW_PRIVATE: expected true or false/],
    ['RG_WEBHOOK_RETRY_SCHEDULE', '5s,soon', /RG_WEBHOOK_RETRY_SCHEDULE: "soon" is not a duration/],
    ['RG_API_KEYS', 'justakey', /RG_API_KEYS: expected key:organization_id pairs/],
    ['RG_API_KEYS', 'short:org', /RG_API_KEYS: every key must be at least 8 characters/],
    ['RG_CLICKHOUSE_DATABASE', 'x; DROP', /RG_CLICKHOUSE_DATABASE: must be a plain identifier/],
    ['RG_LOG_LEVEL', 'loud', /RG_LOG_LEVEL: expected one of/],
    ['RG_KAFKA_FETCH_MAX_BYTES', '1000', /RG_KAFKA_FETCH_MAX_BYTES: must be between 65536 and 268435456/],
  ])('refuses %s=%s, naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });
});

describe('parseApiKeys', () => {
  it('reads key:organization pairs and admin keys', () => {
    expect(parseApiKeys('K', 'abcdefgh:org_1, ijklmnop:*')).toEqual([
      { key: 'abcdefgh', organizationId: 'org_1', admin: false },
      { key: 'ijklmnop', organizationId: '*', admin: true },
    ]);
  });

  it('refuses a key listed twice', () => {
    expect(() => parseApiKeys('K', 'abcdefgh:org_1,abcdefgh:org_2')).toThrow(/listed twice/);
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['250ms', 250],
    ['5s', 5000],
    ['30m', 1_800_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['1500', 1500],
    ['0.5s', 500],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDurationMs(text)).toBe(ms);
  });

  it.each(['', 'soon', '5 sec', '-5s', '5y'])('refuses "%s"', (text) => {
    expect(parseDurationMs(text)).toBeUndefined();
  });
});
