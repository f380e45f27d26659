// Replay benchmark: publishes N events (default one million) for a bench organization, then
// replays them to a local receiver (its own process) through the replay worker, beside a baseline
// in the same run: a raw kafkajs consumer reading the same offset range and POSTing the same
// bodies with the same concurrency. Prints events/s, time to completion and the ratio.
//
//   npx tsx scripts/bench/replay.ts [--events 1000000] [--concurrency 8]
import { spawn } from 'node:child_process';
import { Agent, request } from 'node:http';
import { createInterface } from 'node:readline';
import { benchConfig } from './config.js';
import { flags, fmt, table } from './support.js';
import { createLogger } from '../../core/log/logger.js';
import { createMetricsRegistry } from '../../core/metrics/registry.js';
import { createPlatform } from '../../core/platform.js';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { projectPath } from '../../core/paths.js';
import { startApi } from '../../services/api/start.js';
import { startReplayer } from '../../services/replayer/start.js';
import { scanRanges } from '../../core/kafka/scan-ranges.js';
import { signatureHeaders } from '../../core/webhooks/signature.js';

const options = flags({ events: 1_000_000, concurrency: 8 });
const organizationId = `org_bench_replay_${Date.now().toString(36)}`;
const key = 'rg_bench_replay_key';
const config = benchConfig({
  RG_API_PORT: '0',
  RG_API_KEYS: `${key}:${organizationId}`,
  RG_WEBHOOK_ALLOW_PRIVATE: 'true',
  RG_REPLAY_CONCURRENCY: String(options.concurrency),
  RG_REPLAY_GROUP: `rg-bench-replayer-${organizationId}`,
  RG_REPLAY_COUNT_WAIT: '10m',
});
const platform = await createPlatform({
  config,
  logger: createLogger({ level: 'warn' }),
  metrics: createMetricsRegistry({ defaultMetrics: false }),
  name: 'bench-replay',
});

// Session events only, spread over many sessions: one category topic, every partition.
console.log(`replay benchmark: ${fmt(options.events)} events, concurrency ${options.concurrency}`);
const since = new Date(Date.now() - 1000).toISOString();
let published = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: 8 }, async () => {
    while (published < options.events) {
      const start = published;
      published = Math.min(options.events, published + 1000);
      const events = Array.from({ length: published - start }, (_, k) => ({
        type: 'session.step.completed',
        data: {
          ...GUIDE_EXAMPLES['session.step.completed'],
          session_id: `sess_${(start + k) % 5000}`,
          step_number: start + k,
        },
      }));
      await platform.producer.publish(events, { organizationId });
    }
  }),
);
const until = new Date(Date.now() + 1000).toISOString();
console.log(`published in ${fmt((performance.now() - t0) / 1000, 1)} s`);

async function startReceiver() {
  const child = spawn(process.execPath, [projectPath('scripts', 'bench', 'receiver.mjs')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve) => lines.once('line', (line) => resolve(Number(line))));
  return {
    url: `http://127.0.0.1:${port}/hook`,
    port,
    async stop(): Promise<number> {
      const counted = new Promise<number>((resolve) =>
        lines.on('line', (line) => {
          if (line.startsWith('received')) resolve(Number(line.split(' ')[1]));
        }),
      );
      child.kill('SIGTERM');
      return counted;
    },
  };
}

const results: { path: string; events: number; seconds: number; received: number }[] = [];

// 1. The platform: POST /events/replay and wait for completion.
{
  const api = await startApi(platform, { port: 0 });
  const worker = await startReplayer(platform);
  const receiver = await startReceiver();
  const started = performance.now();
  const created = (await (
    await fetch(`${api.http.url}/api/v1/events/replay`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        since,
        until,
        types: ['session.*'],
        webhook_url: receiver.url,
        secret: 'whsec_YmVuY2gtcmVwbGF5LXNlY3JldC0zMi1ieXRlcy1sb25nISE=',
      }),
    })
  ).json()) as { id: string; event_count: number };
  let status: { status: string; delivered: number; total: number; scanned: number };
  let lastReportMs = performance.now();
  for (;;) {
    status = (await (
      await fetch(`${api.http.url}/api/v1/events/replay/${created.id}`, { headers: { authorization: `Bearer ${key}` } })
    ).json()) as typeof status;
    if (['completed', 'failed', 'cancelled'].includes(status.status)) break;
    if (performance.now() - lastReportMs > (performance.now() - started < 20000 ? 1000 : 5000)) {
      lastReportMs = performance.now();
      console.log(
        `  ${fmt((lastReportMs - started) / 1000, 0)} s: ${status.status}, total ${status.total === null ? 'counting' : fmt(status.total)}, scanned ${fmt(status.scanned)}, delivered ${fmt(status.delivered)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const seconds = (performance.now() - started) / 1000;
  results.push({
    path: 'platform replay (count + deliver)',
    events: status.delivered,
    seconds,
    received: await receiver.stop(),
  });
  await worker.stop();
  await api.stop();
}

// 2. Baseline: a raw consumer over the same range, POSTing the same signed bodies, same concurrency.
{
  const receiver = await startReceiver();
  const admin = platform.kafka.admin();
  await admin.connect();
  const [starts, ends] = await Promise.all([
    admin.fetchTopicOffsetsByTimestamp('events.session', Date.parse(since)),
    admin.fetchTopicOffsetsByTimestamp('events.session', Date.parse(until)),
  ]);
  await admin.disconnect();
  const ranges = starts.map(({ partition, offset }) => ({
    topic: 'events.session',
    partition,
    start: offset,
    end: ends.find((e) => e.partition === partition)!.offset,
  }));
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const post = (body: string, headers: Record<string, string>) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: receiver.port,
          path: '/hook',
          method: 'POST',
          agent,
          headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  let sent = 0;
  const started = performance.now();
  await scanRanges({
    kafka: platform.kafka,
    ranges,
    concurrency: options.concurrency,
    groupIdPrefix: 'bench-replay-baseline',
    onRecord: async ({ message }) => {
      if (message.headers?.['rg-organization-id']?.toString() !== organizationId || !message.value) return;
      const event = await platform.codec.decode(message.value);
      const body = JSON.stringify(event);
      await post(body, signatureHeaders(['whsec_YmVuY2gtcmVwbGF5LXNlY3JldC0zMi1ieXRlcy1sb25nISE='], event.id, body));
      sent += 1;
    },
  });
  const seconds = (performance.now() - started) / 1000;
  results.push({ path: 'baseline: raw consumer + POST', events: sent, seconds, received: await receiver.stop() });
  agent.destroy();
}

await platform.close();
table(
  results.map((r) => ({
    path: r.path,
    delivered: fmt(r.events),
    received: fmt(r.received),
    seconds: fmt(r.seconds, 1),
    'events/s': fmt(r.events / r.seconds),
  })),
);
const ratio = results[0]!.events / results[0]!.seconds / (results[1]!.events / results[1]!.seconds);
console.log(
  `\nratio platform / baseline: ${fmt(ratio, 2)}x   (target >= 0.7x; the platform's time includes its counting pass)`,
);
// Exit explicitly once the figures are printed: a lingering client must not keep a finished benchmark alive.
process.exit(0);
