import { randomBytes } from 'node:crypto';
import { SchemaRegistry } from '@kafkajs/confluent-schema-registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClickHouse, type ClickHouse } from '../../core/clickhouse/client.js';
import { identifier, sql } from '../../core/clickhouse/sql.js';
import { eventCatalog } from '../../core/events/catalog.js';
import { createEventCodec } from '../../core/events/codec.js';
import { validateEvent } from '../../core/events/validate.js';
import { createKafka } from '../../core/kafka/client.js';
import { silentLogger } from '../../core/log/logger.js';
import { createSchemaRegistry } from '../../core/registry/client.js';
import { createRegistryHttp } from '../../core/registry/http.js';
import { testConfig, uniqueOrganization } from '../support/config.js';
import { stack, withPartDown } from '../support/stack.js';

const config = testConfig();

describe('the local stack', () => {
  let clickhouse: ClickHouse;

  beforeAll(() => {
    clickhouse = createClickHouse(config.clickhouse);
  });
  afterAll(async () => {
    await clickhouse.close();
  });

  it('produces an Avro record through the registry to an events topic and consumes it back', async () => {
    const catalog = eventCatalog();
    const registry = createSchemaRegistry(config.schemaRegistry);
    const codec = createEventCodec({ catalog, registry, registryHttp: createRegistryHttp(config.schemaRegistry) });
    await codec.init();

    const organizationId = uniqueOrganization();
    const validated = validateEvent(
      {
        type: 'session.completed',
        data: {
          session_id: 'sess_123',
          agent_id: 'agent_456',
          status: 'completed',
          steps: 5,
          duration_ms: 12345,
          tokens_used: 2500,
        },
      },
      { catalog, organizationId, nowMs: Date.now(), maxFutureMs: 60_000 },
    );
    if (!validated.ok) throw new Error(JSON.stringify(validated.errors));
    const value = codec.encode(validated.event);

    const kafka = createKafka({ config: config.kafka, logger: silentLogger, clientIdSuffix: 'stack-test' });
    const producer = kafka.producer({ idempotent: true });
    const admin = kafka.admin();
    await Promise.all([producer.connect(), admin.connect()]);
    const [result] = await producer.send({
      topic: 'events.session',
      acks: -1,
      messages: [{ key: 'sess_123', value, timestamp: String(Date.parse(validated.event.created_at)) }],
    });
    const partition = result!.partition;
    const offset = result!.baseOffset!;

    // Read exactly that record back with a throwaway consumer group positioned at its offset.
    const consumer = kafka.consumer({ groupId: `stack-test-${organizationId}` });
    await consumer.connect();
    await consumer.subscribe({ topic: 'events.session' });
    const received = await new Promise<{ key: string; value: Buffer; timestamp: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no record within 30 s')), 30_000);
      void consumer.run({
        eachMessage: async ({ partition: p, message }) => {
          if (p === partition && message.offset === offset) {
            clearTimeout(timer);
            resolve({ key: message.key!.toString(), value: message.value!, timestamp: message.timestamp });
          }
        },
      });
      consumer.on(consumer.events.GROUP_JOIN, () => consumer.seek({ topic: 'events.session', partition, offset }));
    });
    await consumer.disconnect();
    await Promise.all([producer.disconnect(), admin.disconnect()]);

    expect(received.key).toBe('sess_123');
    expect(received.value[0]).toBe(0);
    expect(received.value.readInt32BE(1)).toBe(codec.schemaIdOf('session.completed'));
    expect(Number(received.timestamp)).toBe(Date.parse(validated.event.created_at));
    expect(await codec.decode(received.value)).toEqual(validated.event);
    expect(codec.decodeKnown(received.value)).toEqual(validated.event);
    // A process that has not registered the schemas learns the id from the registry first.
    const reader = createEventCodec({ catalog, registry, registryHttp: createRegistryHttp(config.schemaRegistry) });
    expect(reader.decodeKnown(received.value)).toBeUndefined();
    expect(await reader.decode(received.value)).toEqual(validated.event);
    expect(reader.decodeKnown(received.value)).toEqual(validated.event);
    // A standard Confluent deserializer reads it too.
    const standard = await new SchemaRegistry({ host: config.schemaRegistry.url }).decode(received.value);
    expect(standard.id).toBe(validated.event.id);
    expect(standard.data.session_id).toBe('sess_123');
  });

  it('gives every consumer fetches of at most RG_KAFKA_FETCH_MAX_BYTES unless it asks for more', async () => {
    const kafka = createKafka({ config: config.kafka, logger: silentLogger, clientIdSuffix: 'stack-test' });
    const admin = kafka.admin();
    const producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
    const topic = `stack-test-fetch-${uniqueOrganization('t')}`;
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }], waitForLeaders: true });
    // 3 MiB of incompressible records over four partitions, in batches of 64 KiB (a fetch may exceed
    // its limit by one batch); kafkajs alone would fetch up to 1 MiB per partition, 10 MB in all.
    const records = (3 * 1024 * 1024) / 4096;
    for (let batch = 0; batch < records; batch += 16) {
      await producer.send({
        topic,
        messages: Array.from({ length: 16 }, () => ({ value: randomBytes(4096), partition: (batch / 16) % 4 })),
      });
    }
    const largestFetch = async (options: { maxBytes?: number }) => {
      const consumer = kafka.consumer({
        groupId: `${topic}-${options.maxBytes ?? 'default'}`,
        maxWaitTimeInMs: 100,
        ...options,
      });
      let largest = 0;
      consumer.on(consumer.events.REQUEST, ({ payload }) => {
        if (payload.apiName === 'Fetch') largest = Math.max(largest, payload.size);
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let read = 0;
      await new Promise<void>(
        (resolve) =>
          void consumer.run({
            eachMessage: async () => {
              read += 1;
              if (read === records) resolve();
            },
          }),
      );
      await consumer.disconnect();
      return largest;
    };
    const limit = config.kafka.fetchMaxBytes;
    expect(await largestFetch({})).toBeLessThanOrEqual(limit + 128 * 1024);
    expect(await largestFetch({ maxBytes: 8 * limit })).toBeGreaterThan(2 * limit);
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  }, 60_000);

  it('inserts a row into ClickHouse and reads it back', async () => {
    const table = identifier(`${config.clickhouse.database}.stack_roundtrip`);
    await clickhouse.command(
      sql`CREATE TABLE IF NOT EXISTS ${table} (k String, v UInt64) ENGINE = MergeTree ORDER BY k`,
    );
    const key = uniqueOrganization('row');
    await clickhouse.insert(`${config.clickhouse.database}.stack_roundtrip`, [{ k: key, v: 42 }]);
    const rows = await clickhouse.query<{ k: string; v: string }>(sql`SELECT k, v FROM ${table} WHERE k = ${key}`);
    expect(rows).toEqual([{ k: key, v: '42' }]);
  });

  it('matches hostile values as plain values on the real ClickHouse', async () => {
    const hostile = [
      "it's",
      'back\\slash',
      'line\nbreak\r\ttab',
      'nul\u0000byte',
      "'; DROP TABLE events; --",
      "\\'); SELECT 1; --",
      "' OR '1'='1",
      '100%_like',
      '`backtick` "double"',
      'unicode ✓ 世界 🚀',
      'x'.repeat(10_000),
      '\\N',
      'control \b\f\u0001 chars',
    ];
    for (const value of hostile) {
      const rows = await clickhouse.query<{ v: string; n: string }>(sql`SELECT ${value} AS v, length(${value}) AS n`);
      expect(rows[0]!.v).toBe(value);
      expect(Number(rows[0]!.n)).toBe(Buffer.byteLength(value));
      // Read as TabSeparated (history pages read payloads so): ClickHouse's escapes undone exactly.
      const strings = await clickhouse.queryStrings<{ v: string; missing: string | null }>(
        sql`SELECT ${value} AS v, CAST(NULL AS Nullable(String)) AS missing`,
      );
      expect(strings).toEqual([{ v: value, missing: null }]);
    }
    // The same values as external data (the sink's dedup check sends its ids so): each row comes back exact.
    const rows = await clickhouse.queryWithTable<{ n: string; v: string; bytes: string }>(
      sql`SELECT n, v, length(v) AS bytes FROM sent ORDER BY toUInt32(n)`,
      { name: 'sent', columns: ['n', 'v'], rows: hostile.map((v, n) => ({ n: String(n), v })) },
    );
    expect(rows.map((row) => row.v)).toEqual(hostile);
    expect(rows.map((row) => Number(row.bytes))).toEqual(hostile.map((value) => Buffer.byteLength(value)));
    const matched = await clickhouse.queryWithTable<{ v: string }>(
      sql`SELECT ${hostile[4]!} AS v WHERE v IN (SELECT v FROM sent)`,
      { name: 'sent', columns: ['v'], rows: [{ v: hostile[4]! }, { v: 'other' }] },
    );
    expect(matched).toEqual([{ v: hostile[4] }]);
    // Parameters of a query sent with external data (the client's own encoding is not used there).
    for (const value of hostile) {
      const found = await clickhouse.queryWithTable<{ v: string }>(sql`SELECT v FROM sent WHERE v = ${value}`, {
        name: 'sent',
        columns: ['v'],
        rows: hostile.map((v) => ({ v })),
      });
      expect(found).toEqual([{ v: value }]);
    }
    await expect(
      clickhouse.queryWithTable(sql`SELECT 1`, { name: 'bad name', columns: ['v'], rows: [] }),
    ).rejects.toThrow(/invalid external table/);
  });

  it('keeps a registered schema across a registry restart', async () => {
    const registryHttp = createRegistryHttp(config.schemaRegistry);
    const subject = `stack-test-${uniqueOrganization('subject')}`;
    const schema = JSON.stringify({
      type: 'record',
      name: 'Probe',
      namespace: 'test.stack',
      fields: [{ name: 'a', type: 'string' }],
    });
    const id = await registryHttp.register(subject, schema);

    const status = await withPartDown('registry', async () => stack('status', 'registry'));
    expect(status.code).not.toBe(0);

    expect(JSON.parse(await registryHttp.getSchemaById(id))).toEqual(JSON.parse(schema));
    expect(await registryHttp.register(subject, schema)).toBe(id);
  });

  it('reports a part that is down, and brings it back', async () => {
    expect((await stack('status')).code).toBe(0);
    const whileDown = await withPartDown('clickhouse', async () => stack('status'));
    expect(whileDown.code).not.toBe(0);
    expect(whileDown.stdout).toMatch(/clickhouse\s+down/);
    expect(whileDown.stdout).toMatch(/kafka\s+up/);
    const after = await stack('status');
    expect(after.code).toBe(0);
    expect(await clickhouse.ping()).toBe(true);
  });
});
