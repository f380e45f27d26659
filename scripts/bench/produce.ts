// Producer benchmark: one million mixed guide events through the producer library (validation,
// Avro, Confluent framing, batching, acks=all), beside two baselines on the same broker in the
// same run: raw kafkajs sending the same events as JSON with the same chunking and concurrency,
// and Kafka's own Java producer perf tool at the same record size. Then the HTTP API with
// batches of 500. Prints events/s, MB/s, p50/p99 latency and the ratios.
//
//   npx tsx scripts/bench/produce.ts [--events 1000000] [--chunk 500] [--concurrency <callers>] [--compression gzip]
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { CompressionTypes } from 'kafkajs';
import { benchConfig } from './config.js';
import { createLogger } from '../../core/log/logger.js';
import { createMetricsRegistry } from '../../core/metrics/registry.js';
import { createPlatform } from '../../core/platform.js';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { EVENT_CATEGORIES } from '../../core/events/categories.js';
import { ensureTopics } from '../../core/kafka/topics.js';
import { EVENT_HEADERS } from '../../core/producer/producer.js';
import { projectPath } from '../../core/paths.js';
import { flags, fmt, summarize, table } from './support.js';

const run = promisify(execFile);
const options = flags({
  events: 1_000_000,
  chunk: 500,
  concurrency: 0,
  compression: 'gzip',
  'api-events': 200_000,
  'max-batch': 2000,
  linger: '5ms',
});
const organizationId = 'org_bench_produce';
const types = Object.keys(GUIDE_EXAMPLES);

/** The i-th benchmark event: the guide's examples in turn, with varying resource ids. */
function eventAt(i: number) {
  const type = types[i % types.length]!;
  const data = { ...GUIDE_EXAMPLES[type] } as Record<string, unknown>;
  for (const key of [
    'session_id',
    'agent_id',
    'team_id',
    'user_id',
    'invoice_id',
    'webhook_id',
    'incident_id',
    'maintenance_id',
  ]) {
    if (key in data) data[key] = `${String(data[key])}_${i % 997}`;
  }
  return { type, data, metadata: { user_id: 'user_456', request_id: `req_${i}` } };
}

interface Result {
  name: string;
  events: number;
  seconds: number;
  bytes: number;
  latenciesMs: number[];
}

/** Runs `work(chunkIndex)` over all chunks with a fixed number in flight, timing each. */
async function drive(
  total: number,
  chunk: number,
  concurrency: number,
  work: (start: number, end: number) => Promise<number>,
): Promise<Omit<Result, 'name'>> {
  const latenciesMs: number[] = [];
  let next = 0;
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const start = next;
        next = Math.min(total, next + chunk);
        const t0 = performance.now();
        // Not `bytes += await …`: that reads `bytes` before the wait and loses the other callers' sums.
        const chunkBytes = await work(start, next);
        bytes += chunkBytes;
        latenciesMs.push(performance.now() - t0);
      }
    }),
  );
  return { events: total, seconds: (performance.now() - started) / 1000, bytes, latenciesMs };
}

const config = benchConfig({
  RG_KAFKA_COMPRESSION: options.compression,
  RG_PRODUCER_MAX_BATCH: String(options['max-batch']),
  RG_PRODUCER_LINGER: options.linger,
});
const logger = createLogger({ level: 'warn' });
const platform = await createPlatform({
  config,
  logger,
  metrics: createMetricsRegistry({ defaultMetrics: false }),
  name: 'bench-produce',
});
const admin = platform.kafka.admin();
await admin.connect();
const JSON_TOPIC_PREFIX = 'bench.produce.json.';
const benchTopics = [...EVENT_CATEGORIES.map((category) => JSON_TOPIC_PREFIX + category), 'bench.produce.java'];
await ensureTopics(
  admin,
  benchTopics.map((topic) => ({
    topic,
    numPartitions: config.kafka.topicPartitions,
    replicationFactor: 1,
    configEntries: [{ name: 'retention.ms', value: '3600000' }],
  })),
);

// The same number of events in flight on both paths: the baseline keeps `maxInFlight` batches of
// `max-batch` events outstanding, so the library's callers keep as many events outstanding.
const callers =
  options.concurrency || Math.ceil((config.kafka.producerMaxInFlight * Number(options['max-batch'])) / options.chunk);
console.log(
  `producer benchmark: ${fmt(options.events)} mixed guide events; callers publish chunks of ${options.chunk}, ${callers} at once (${fmt(callers * options.chunk)} events in flight, as the baseline); batches of up to ${options['max-batch']} events, ${config.kafka.producerMaxInFlight} requests in flight; compression ${options.compression}; acks=all`,
);
const results: Result[] = [];

// 1. Our library: validate, Avro-encode, batch, write to events.<category>.
{
  // The JSON size of each chunk is the same input the baseline sends; measured before the clock
  // starts, so the library is not charged for the benchmark's own accounting.
  const chunkBytes = new Map<number, number>();
  for (let start = 0; start < options.events; start += options.chunk) {
    let size = 0;
    for (let i = start; i < Math.min(options.events, start + options.chunk); i += 1)
      size += JSON.stringify(eventAt(i)).length;
    chunkBytes.set(start, size);
  }
  const r = await drive(options.events, options.chunk, callers, async (start, end) => {
    const inputs = Array.from({ length: end - start }, (_, k) => eventAt(start + k));
    await platform.producer.publish(inputs, { organizationId });
    return chunkBytes.get(start)!;
  });
  results.push({ name: 'library (Avro)', ...r });
}

// The encoded Avro size, for the Java tool's record size.
const sample = Array.from({ length: types.length }, (_, i) => eventAt(i));
const validatedSample = await platform.producer.publish(sample, { organizationId });
const avroSize = Math.round(
  validatedSample.reduce((sum, event) => sum + platform.codec.encode(event).length, 0) / validatedSample.length,
);

// 2. Raw kafkajs: the same records with JSON values: the same topic layout (one topic per
//    category), keys (resource ids), routing headers and timestamps, sent in the library's batch
//    size with the library's number of requests in flight, idempotent, acks=all. The difference is
//    what the library adds: validation, Avro with registry ids, and its linger batching.
{
  const producer = platform.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 5,
    retry: { retries: Number.MAX_SAFE_INTEGER },
  });
  await producer.connect();
  const compression = options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
  const r = await drive(
    options.events,
    Number(options['max-batch']),
    config.kafka.producerMaxInFlight,
    async (start, end) => {
      const byTopic = new Map<
        string,
        { key: string; value: string; timestamp: string; headers: Record<string, string> }[]
      >();
      const now = String(Date.now());
      let bytes = 0;
      for (let i = start; i < end; i += 1) {
        const event = eventAt(i);
        const entry = platform.catalog.get(event.type)!;
        const topic = `${JSON_TOPIC_PREFIX}${entry.category}`;
        const value = JSON.stringify(event);
        bytes += value.length;
        const messages = byTopic.get(topic) ?? [];
        const headers = {
          [EVENT_HEADERS.type]: event.type,
          [EVENT_HEADERS.organization]: organizationId,
          [EVENT_HEADERS.id]: `evt_json_${i}`,
        };
        messages.push({ key: String(event.data[entry.resourceKey]), value, timestamp: now, headers });
        byTopic.set(topic, messages);
      }
      await producer.sendBatch({
        acks: -1,
        compression,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
      return bytes;
    },
  );
  await producer.disconnect();
  results.push({ name: 'raw kafkajs (JSON)', ...r });
}

// 3. Kafka's own Java producer perf tool, same record size, acks=all.
let javaRecordsPerSecond = Number.NaN;
{
  const version = /<kafka.version>(.*)<\/kafka.version>/.exec(
    await (await import('node:fs/promises')).readFile(projectPath('infra', 'kafka', 'pom.xml'), 'utf8'),
  )![1];
  const home = process.env.HOME ?? '/root';
  const libs = `${process.env.RG_STACK_CACHE ?? `${home}/.cache/resonant-events`}/kafka-${version}/libs/*`;
  const { stdout } = await run(
    'java',
    [
      '-Xmx512m',
      '-cp',
      libs,
      'org.apache.kafka.tools.ProducerPerformance',
      '--topic',
      'bench.produce.java',
      '--num-records',
      String(options.events),
      '--record-size',
      String(avroSize),
      '--throughput',
      '-1',
      '--producer-props',
      `bootstrap.servers=${config.kafka.brokers.join(',')}`,
      'acks=all',
      `compression.type=${options.compression === 'gzip' ? 'gzip' : 'none'}`,
      'enable.idempotence=true',
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  const last = stdout.trim().split('\n').pop()!;
  const match =
    /([\d.]+) records\/sec \(([\d.]+) MB\/sec\), ([\d.]+) ms avg latency, ([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th/.exec(
      last,
    );
  if (!match) throw new Error(`unexpected perf tool output: ${last}`);
  javaRecordsPerSecond = Number(match[1]);
  console.log(`java perf tool: ${last}`);
}

// 4. The HTTP API in its own process, batches of 500, as many in flight as the library's callers.
let apiRate = Number.NaN;
{
  const port = 18_181;
  const key = 'rg_bench_key_produce';
  const child = spawn(projectPath('node_modules', '.bin', 'tsx'), [projectPath('services', 'api', 'main.ts')], {
    env: {
      ...process.env,
      RG_API_PORT: String(port),
      RG_API_KEYS: `${key}:${organizationId}`,
      RG_LOG_LEVEL: 'warn',
      RG_KAFKA_COMPRESSION: options.compression,
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i += 1) {
      try {
        if ((await fetch(`${url}/healthz`)).ok) break;
      } catch {
        /* starting */
      }
      if (i > 600) throw new Error('API did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
    // As many requests in flight as the library's callers: the same events outstanding on both paths.
    const r = await drive(options['api-events'], 500, callers, async (start, end) => {
      const body = JSON.stringify({ events: Array.from({ length: end - start }, (_, k) => eventAt(start + k)) });
      const response = await fetch(`${url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body,
      });
      if (response.status !== 202) throw new Error(`API answered ${response.status}: ${await response.text()}`);
      await response.arrayBuffer();
      return body.length;
    });
    results.push({ name: 'HTTP API (batches of 500)', ...r });
    apiRate = r.events / r.seconds;
  } finally {
    child.kill('SIGTERM');
  }
}

await admin.deleteTopics({ topics: benchTopics }).catch(() => undefined);
await admin.disconnect();
await platform.close();

table(
  results.map((r) => {
    const s = summarize(r.latenciesMs);
    return {
      path: r.name,
      events: fmt(r.events),
      'events/s': fmt(r.events / r.seconds),
      'MB/s (JSON in)': fmt(r.bytes / r.seconds / 1e6, 1),
      'p50 ms': fmt(s.p50, 1),
      'p99 ms': fmt(s.p99, 1),
    };
  }),
);
const library = results[0]!.events / results[0]!.seconds;
const rawJson = results[1]!.events / results[1]!.seconds;
console.log(`\naverage Avro record: ${avroSize} bytes; Java perf tool: ${fmt(javaRecordsPerSecond)} records/s`);
console.log(`ratio library / raw kafkajs JSON : ${fmt(library / rawJson, 2)}x   (target >= 1.0x)`);
console.log(`ratio library / Java perf tool   : ${fmt(library / javaRecordsPerSecond, 2)}x   (target >= 0.3x)`);
console.log(`ratio HTTP API / library         : ${fmt(apiRate / library, 2)}x   (target >= 0.5x)`);
