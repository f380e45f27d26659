// Webhook delivery benchmark: 10 local receivers (their own processes) answering 200, one webhook
// each, all subscribed to one event type, so each published event is 10 deliveries.
//  1. throughput: N events published at once; deliveries/s from the first publish to the last receipt;
//  2. latency: events published at a steady rate; p50/p99 from publish (created_at) to receipt;
//  3. baseline in the same run: a plain Node loop POSTing the same bodies to the same receivers
//     with the same concurrency (per receiver), as fast as it can; its latency is one request's.
//
//   npx tsx scripts/bench/webhooks.ts [--events 5000] [--rate 300] [--seconds 10] [--concurrency 16]
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createInterface, type Interface } from 'node:readline';
import { benchConfig } from './config.js';
import { flags, fmt, summarize, table } from './support.js';
import { createLogger } from '../../core/log/logger.js';
import { createMetricsRegistry } from '../../core/metrics/registry.js';
import { createPlatform } from '../../core/platform.js';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { createWebhookStore } from '../../core/webhooks/store.js';
import { signatureHeaders } from '../../core/webhooks/signature.js';
import { startDispatcher } from '../../services/dispatcher/start.js';

const options = flags({ events: 5000, rate: 300, seconds: 10, concurrency: 16, receivers: 10 });
const run = Date.now().toString(36);
const organizationId = `org_bench_webhooks_${run}`;
const SECRET = 'whsec_YmVuY2gtd2ViaG9va3Mtc2VjcmV0LTMyLWJ5dGVzLWxvbmch';
const config = benchConfig({
  RG_WEBHOOK_ALLOW_PRIVATE: 'true',
  RG_WEBHOOK_MAX_CONCURRENCY_PER_ENDPOINT: String(options.concurrency),
  RG_DISPATCHER_GROUP: `rg-bench-dispatcher-${run}`,
  RG_DISPATCHER_RETRY_GROUP: `rg-bench-dispatcher-retries-${run}`,
});
const platform = await createPlatform({
  config,
  logger: createLogger({ level: 'warn' }),
  metrics: createMetricsRegistry({ defaultMetrics: false }),
  name: 'bench-webhooks',
});

// The receiver: counts requests and keeps receipt − created_at (or − `bench-sent-at`) per request.
const RECEIVER = `
const { createServer } = require('node:http');
let count = 0; let latencies = [];
const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (c) => { body += c; });
  req.on('end', () => {
    const now = Date.now();
    const sentAt = Number(req.headers['bench-sent-at']) || Date.parse(JSON.parse(body).created_at);
    count += 1; latencies.push(now - sentAt);
    res.writeHead(200, { 'content-length': '0' }); res.end();
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
require('node:readline').createInterface({ input: process.stdin }).on('line', (line) => {
  if (line === 'count') process.stdout.write('count ' + count + '\\n');
  if (line === 'report') { process.stdout.write('report ' + JSON.stringify(latencies) + '\\n'); count = 0; latencies = []; }
});`;

interface BenchReceiver {
  port: number;
  child: ChildProcess;
  lines: Interface;
  ask(command: 'count' | 'report'): Promise<string>;
}

async function startReceiver(): Promise<BenchReceiver> {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve) => lines.once('line', (line) => resolve(Number(line))));
  const ask = (command: 'count' | 'report') =>
    new Promise<string>((resolve) => {
      const listener = (line: string) => {
        if (!line.startsWith(`${command} `)) return;
        lines.off('line', listener);
        resolve(line.slice(command.length + 1));
      };
      lines.on('line', listener);
      child.stdin!.write(`${command}\n`);
    });
  return { port, child, lines, ask };
}

const receivers = await Promise.all(Array.from({ length: options.receivers }, startReceiver));
// The receivers never outlive the benchmark, even when it fails.
process.on('exit', () => {
  for (const receiver of receivers) receiver.child.kill('SIGTERM');
});
const totalReceived = async () =>
  (await Promise.all(receivers.map((r) => r.ask('count')))).reduce((sum, n) => sum + Number(n), 0);
const collectLatencies = async () =>
  (await Promise.all(receivers.map(async (r) => JSON.parse(await r.ask('report')) as number[]))).flat();
async function waitForReceipts(expected: number, timeoutMs = 300_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const received = await totalReceived();
    if (received >= expected) return performance.now();
    if (Date.now() > deadline)
      throw new Error(`only ${received} of ${expected} deliveries arrived within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const store = createWebhookStore({
  kafka: platform.kafka,
  logger: platform.logger,
  groupIdPrefix: `rg-bench-webhooks-${run}`,
  kafkaConfig: config.kafka,
});
await store.start();
const webhookIds: string[] = [];
for (const [n, receiver] of receivers.entries()) {
  const now = Date.now();
  const id = `wh_bench${run}${n}`;
  webhookIds.push(id);
  await store.put({
    id,
    organization_id: organizationId,
    url: `http://127.0.0.1:${receiver.port}/hook`,
    events: ['agent.updated'],
    description: 'benchmark',
    enabled: true,
    disabled_reason: null,
    secrets: [{ secret: SECRET, expires_at_ms: null }],
    created_at_ms: now,
    updated_at_ms: now,
  });
}
const dispatcher = await startDispatcher(platform, { webhooks: store });
let dispatcherStopped = false;
// Whatever happens, the benchmark's webhooks are deleted, so no retry of theirs outlives it.
async function cleanUp(): Promise<void> {
  if (!dispatcherStopped) await dispatcher.stop();
  dispatcherStopped = true;
  for (const id of webhookIds) await store.delete(id);
  await store.stop();
}
const published: PlatformEvent[] = [];
const rows: Record<string, string | number>[] = [];
try {
  console.log(`dispatcher started for ${organizationId}; warming up`);
  const event = (n: number) => ({
    type: 'agent.updated',
    data: { ...GUIDE_EXAMPLES['agent.updated'], agent_id: `agent_${n % 1000}` },
  });

  // Warm-up: the new group's first join (it starts at the end of the topics), connections, schemas.
  {
    const deadline = Date.now() + 60_000;
    while ((await totalReceived()) < options.receivers * 50) {
      if (Date.now() > deadline) throw new Error('the dispatcher delivered nothing within 60 s');
      await platform.producer.publish(
        Array.from({ length: 50 }, (_, n) => event(n)),
        { organizationId },
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await collectLatencies();
  }
  console.log(`webhook benchmark: ${options.receivers} receivers, concurrency ${options.concurrency} per endpoint`);

  // 1. Throughput.
  {
    const expected = options.events * options.receivers;
    const started = performance.now();
    for (let i = 0; i < options.events; i += 1000) {
      published.push(
        ...(await platform.producer.publish(
          Array.from({ length: Math.min(1000, options.events - i) }, (_, k) => event(i + k)),
          { organizationId },
        )),
      );
    }
    const finished = await waitForReceipts(expected);
    const latency = summarize(await collectLatencies());
    const seconds = (finished - started) / 1000;
    console.log(`burst done in ${fmt((finished - started) / 1000, 1)} s`);
    rows.push({
      path: 'dispatcher, burst',
      deliveries: fmt(expected),
      seconds: fmt(seconds, 2),
      'deliveries/s': fmt(expected / seconds),
      'p50 ms': fmt(latency.p50),
      'p99 ms': fmt(latency.p99),
    });
  }

  // 2. Latency at a steady rate.
  {
    const total = options.rate * options.seconds;
    const started = performance.now();
    for (let sent = 0; sent < total; ) {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * options.rate) + 1);
      if (due > sent) {
        await platform.producer.publish(
          Array.from({ length: due - sent }, (_, k) => event(sent + k)),
          { organizationId },
        );
        sent = due;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const finished = await waitForReceipts(total * options.receivers);
    const latency = summarize(await collectLatencies());
    const seconds = (finished - started) / 1000;
    rows.push({
      path: `dispatcher, ${options.rate} events/s`,
      deliveries: fmt(total * options.receivers),
      seconds: fmt(seconds, 2),
      'deliveries/s': fmt((total * options.receivers) / seconds),
      'p50 ms': fmt(latency.p50),
      'p99 ms': fmt(latency.p99),
    });
  }
  await dispatcher.stop();
  dispatcherStopped = true;

  // 3. Baseline: the same signed bodies, the same receivers and concurrency, a plain loop.
  {
    const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
    const post = (port: number, body: string, headers: Record<string, string>) =>
      new Promise<void>((resolve, reject) => {
        const req = request(
          {
            host: '127.0.0.1',
            port,
            path: '/hook',
            method: 'POST',
            agent,
            headers: {
              ...headers,
              'bench-sent-at': String(Date.now()),
              'content-type': 'application/json',
              'content-length': Buffer.byteLength(body),
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolve());
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    const expected = published.length * receivers.length;
    const started = performance.now();
    await Promise.all(
      receivers.map(async (receiver) => {
        let next = 0;
        await Promise.all(
          Array.from({ length: options.concurrency }, async () => {
            while (next < published.length) {
              const item = published[next++]!;
              const body = JSON.stringify(item);
              await post(receiver.port, body, { ...signatureHeaders([SECRET], item.id, body) });
            }
          }),
        );
      }),
    );
    const finished = await waitForReceipts(expected);
    const latency = summarize(await collectLatencies());
    const seconds = (finished - started) / 1000;
    rows.push({
      path: 'baseline: plain POST loop',
      deliveries: fmt(expected),
      seconds: fmt(seconds, 2),
      'deliveries/s': fmt(expected / seconds),
      'p50 ms': fmt(latency.p50),
      'p99 ms': fmt(latency.p99),
    });
    agent.destroy();
  }
} finally {
  await cleanUp();
}
for (const receiver of receivers) receiver.child.kill('SIGTERM');
await platform.close();
table(rows);
const rate = (row: Record<string, string | number>) => Number(String(row['deliveries/s']).replaceAll(',', ''));
console.log(
  `\nratio dispatcher burst / baseline: ${fmt(rate(rows[0]!) / rate(rows[2]!), 2)}x   (targets: >= 0.5x, >= 5,000 deliveries/s, p99 < 250 ms at a steady rate)`,
);
console.log("dispatcher latency is publish (created_at) → receipt; the baseline's is one request's (send → receipt).");
