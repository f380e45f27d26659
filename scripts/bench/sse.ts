// Live-stream benchmark: the gateway (this process: the stream module mounted as the API mounts it)
// and a baseline (its own child process: a raw kafkajs consumer of the same topics feeding a bare
// node:http SSE broadcaster that writes the same frames, clients looked up by session in a Map) run
// AT THE SAME TIME on the same events, so both see the same broker and machine (the stack is shared).
// A publisher child publishes R events/s over S sessions; N clients per server (a child process
// each) subscribe to `events=session.*&session_id=sess_<i mod S>`. Measured: publish→receipt latency
// at the clients (created_at is stamped at publish), memory per idle connection (heap and RSS delta
// after GC ÷ N) and CPU in each server's process. Targets: p99 ≤ 2× the baseline's, ≤ 30 KB/connection.
//
//   npx tsx --expose-gc scripts/bench/sse.ts [--clients 5000] [--rate 1000] [--sessions 500] [--seconds 20]
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request, Agent, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { benchConfig } from './config.js';
import { flags, fmt, percentile, table } from './support.js';
import { createLogger } from '../../core/log/logger.js';
import { createMetricsRegistry } from '../../core/metrics/registry.js';
import { createPlatform } from '../../core/platform.js';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { EVENT_CATEGORIES, topicForCategory } from '../../core/events/categories.js';
import { createApiApp } from '../../services/api/app.js';
import { listen } from '../../services/api/server.js';
import { createStreamModule } from '../../services/stream/module.js';

const options = flags({
  role: 'main',
  clients: 5000,
  rate: 1000,
  sessions: 500,
  seconds: 20,
  url: '',
  key: '',
  organization: '',
});
const self = fileURLToPath(import.meta.url);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const children: ChildProcess[] = [];
process.on('exit', () =>
  children.forEach((proc) => {
    proc.kill();
  }),
);

if (options.role === 'clients') await runClients();
else if (options.role === 'publisher') await runPublisher();
else if (options.role === 'baseline') await runBaseline();
else await runMain();

/** Child: opens the connections, then measures latency between `start` and `stop` on stdin. */
async function runClients(): Promise<void> {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  let [measuring, frames, closed, latencies] = [false, 0, 0, [] as number[]];
  let [cpuAtStart, wallAtStart] = [process.cpuUsage(), performance.now()];
  const sockets: { destroy(): void }[] = [];
  const connect = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const url = `${options.url}?events=session.*&session_id=sess_${i % options.sessions}`;
      const req = request(
        url,
        { agent, headers: { authorization: `Bearer ${options.key}`, accept: 'text/event-stream' } },
        (res) => {
          if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`));
          res.setEncoding('utf8');
          let pending = '';
          res.on('data', (chunk: string) => {
            const now = Date.now();
            pending += chunk;
            let end: number;
            while ((end = pending.indexOf('\n\n')) >= 0) {
              const frame = pending.slice(0, end);
              pending = pending.slice(end + 2);
              const at = frame.indexOf('"created_at":"');
              if (at < 0 || !measuring) continue;
              frames += 1;
              latencies.push(now - Date.parse(frame.slice(at + 14, at + 38)));
            }
          });
          res.on('close', () => {
            closed += 1;
          });
          sockets.push(res);
          resolve();
        },
      );
      req.on('error', reject);
      req.end();
    });
  for (let i = 0; i < options.clients; i += 200)
    await Promise.all(Array.from({ length: Math.min(200, options.clients - i) }, (_, k) => connect(i + k)));
  process.stdout.write('ready\n');
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'start') {
      [measuring, frames, latencies, cpuAtStart, wallAtStart] = [true, 0, [], process.cpuUsage(), performance.now()];
    } else if (line === 'count') process.stdout.write(`${frames}\n`);
    else if (line === 'stop') {
      measuring = false;
      latencies.sort((x, y) => x - y);
      const cpu = process.cpuUsage(cpuAtStart);
      const cpuPercent = ((cpu.user + cpu.system) / 1000 / (performance.now() - wallAtStart)) * 100;
      process.stdout.write(
        `${JSON.stringify({ frames, p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? NaN, closed, cpuPercent })}\n`,
      );
      sockets.forEach((socket) => {
        socket.destroy();
      });
      process.exit(0);
    }
  }
  process.exit(0); // stdin closed: the main process is gone
}

/** Child: publishes `rate` events/s for `seconds` (created_at is stamped at publish). */
async function runPublisher(): Promise<void> {
  const config = benchConfig({ RG_API_PORT: '0' });
  const platform = await createPlatform({
    config,
    logger: createLogger({ level: 'warn' }),
    metrics: createMetricsRegistry({ defaultMetrics: false }),
    name: 'bench-sse-publisher',
  });
  const tickMs = 10;
  let published = 0;
  let failed = 0;
  const inFlight = new Set<Promise<unknown>>();
  const started = performance.now();
  while (performance.now() - started < options.seconds * 1000) {
    // As many as the elapsed time owes: the rate holds even when a tick comes late.
    const count =
      Math.min(options.rate * options.seconds, Math.floor(((performance.now() - started) / 1000) * options.rate)) -
      published;
    if (count > 0) {
      const events = Array.from({ length: count }, (_, k) => ({
        type: 'session.step.completed',
        data: {
          ...GUIDE_EXAMPLES['session.step.completed'],
          session_id: `sess_${Math.floor(Math.random() * options.sessions)}`,
          step_number: published + k,
        },
      }));
      published += count;
      const sent = platform.producer.publish(events, { organizationId: options.organization }).catch(() => {
        failed += count;
      });
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
    }
    const next = started + Math.ceil((performance.now() - started + 0.01) / tickMs) * tickMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  await Promise.all(inFlight);
  process.stdout.write(`published ${published}${failed ? ` (${failed} not acknowledged by Kafka)` : ''}\n`);
  await platform.close();
  process.exit(0);
}

function child(
  role: string,
  extra: string[],
): { process: ChildProcess; lines: AsyncIterator<string>; send(line: string): void } {
  const proc = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', self, '--role', role, ...extra], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(proc);
  return {
    process: proc,
    lines: createInterface({ input: proc.stdout! })[Symbol.asyncIterator](),
    send: (line) => proc.stdin!.write(`${line}\n`),
  };
}

async function nextLine(lines: AsyncIterator<string>): Promise<string> {
  const { value, done } = await lines.next();
  if (done) throw new Error('child exited early');
  return value;
}

function memory(): { heap: number; rss: number } {
  (globalThis as { gc?: () => void }).gc?.();
  return { heap: process.memoryUsage().heapUsed, rss: process.memoryUsage.rss() };
}

/** What the main process asks of a server, the gateway here or the baseline in its child. */
interface Server {
  url: string;
  memory(): Promise<{ heap: number; rss: number }>;
  startCpu(): Promise<void>;
  /** CPU % of a core since startCpu, and the mean created_at→consumer delay in ms. */
  stopCpu(): Promise<{ cpu: number; feedDelayMs: number }>;
}

/** A CPU meter of this process. */
function cpuMeter() {
  let cpu = process.cpuUsage();
  let wall = performance.now();
  return {
    start() {
      cpu = process.cpuUsage();
      wall = performance.now();
    },
    percent() {
      const used = process.cpuUsage(cpu);
      return ((used.user + used.system) / 1000 / (performance.now() - wall)) * 100;
    },
  };
}

/** The baseline server process: a raw consumer and a bare node:http broadcaster; commands on stdin. */
async function runBaseline(): Promise<void> {
  const platform = await createPlatform({
    config: benchConfig({ RG_API_PORT: '0' }),
    logger: createLogger({ level: 'warn' }),
    metrics: createMetricsRegistry({ defaultMetrics: false }),
    name: 'bench-sse-baseline',
  });
  const bySession = new Map<string, Set<ServerResponse>>();
  let delaySumMs = 0;
  let delayCount = 0;
  const server = createServer((req, res) => {
    const session = new URL(req.url ?? '/', 'http://x').searchParams.get('session_id') ?? '';
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    let set = bySession.get(session);
    if (!set) bySession.set(session, (set = new Set()));
    set.add(res);
    res.on('close', () => set!.delete(res));
  });
  server.keepAliveTimeout = 65_000;
  server.requestTimeout = 0;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  setInterval(() => {
    for (const set of bySession.values()) for (const res of set) res.write(':\n\n');
  }, 15_000);
  const consumer = platform.kafka.consumer({
    groupId: `rg-bench-sse-baseline-${Date.now().toString(36)}`,
    maxWaitTimeInMs: 500,
  });
  await consumer.connect();
  // Every events.* topic, as the gateway reads; records of other organizations skipped by header.
  await consumer.subscribe({ topics: EVENT_CATEGORIES.map(topicForCategory), fromBeginning: false });
  const joined = new Promise<void>((resolve) => consumer.on(consumer.events.GROUP_JOIN, () => resolve()));
  await consumer.run({
    eachMessage: async ({ partition, message }) => {
      if (message.headers?.['rg-organization-id']?.toString() !== options.organization) return;
      const event = await platform.codec.decode(message.value!);
      delaySumMs += Date.now() - Date.parse(event.created_at);
      delayCount += 1;
      const set = bySession.get(String(event.data.session_id));
      if (!set || set.size === 0) return;
      const frame = `id: ${partition}-${message.offset}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
      for (const res of set) res.write(frame);
    },
  });
  await joined;
  process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}/\n`);
  const meter = cpuMeter();
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'memory') process.stdout.write(`${JSON.stringify(memory())}\n`);
    else if (line === 'start') {
      meter.start();
      delaySumMs = 0;
      delayCount = 0;
      process.stdout.write('ok\n');
    } else if (line === 'stop')
      process.stdout.write(
        `${JSON.stringify({ cpu: meter.percent(), feedDelayMs: delaySumMs / Math.max(1, delayCount) })}\n`,
      );
    else if (line === 'exit') break;
  }
  await consumer.disconnect().catch(() => undefined);
  process.exit(0);
}

async function startBaselineProcess(organization: string): Promise<Server & { stop(): void }> {
  const proc = child('baseline', ['--organization', organization]);
  const url = await nextLine(proc.lines);
  const ask = (command: string) => {
    proc.send(command);
    return nextLine(proc.lines);
  };
  return {
    url,
    memory: async () => JSON.parse(await ask('memory')),
    startCpu: async () => {
      await ask('start');
    },
    stopCpu: async () => JSON.parse(await ask('stop')),
    stop: () => proc.send('exit'),
  };
}

interface Result {
  path: string;
  frames: number;
  p50: number;
  p99: number;
  max: number;
  heapPerConn: number;
  rssPerConn: number;
  cpu: number;
  feedDelayMs: number;
  closed: number;
  cpuPercent: number;
}

async function runMain(): Promise<void> {
  if (!(globalThis as { gc?: unknown }).gc) console.log('(run with --expose-gc for steadier memory figures)');
  const organization = `org_bench_sse_${Date.now().toString(36)}`;
  const key = 'rg_bench_sse_key';
  const config = benchConfig({
    RG_API_PORT: '0',
    RG_API_KEYS: `${key}:${organization}`,
    RG_STREAM_MAX_CONNECTIONS_PER_KEY: String(options.clients * 2),
  });
  const metrics = createMetricsRegistry({ defaultMetrics: false });
  const platform = await createPlatform({
    config,
    logger: createLogger({ level: 'warn' }),
    metrics,
    name: 'bench-sse',
  });
  console.log(
    `SSE benchmark: ${fmt(options.clients)} clients on each server, ${fmt(options.rate)} events/s for ${options.seconds} s over ${fmt(options.sessions)} sessions (each event matches ${fmt(options.clients / options.sessions, 1)} clients of each)`,
  );

  // The gateway as the API mounts it, without the API's other areas (their consumers would
  // share this process's CPU and blur the comparison).
  const stream = await createStreamModule(platform);
  const app = createApiApp({
    config: config.api,
    logger: platform.logger,
    metrics,
    checkReadiness: async () => ({}),
    routers: [],
    publicRouters: stream.publicRouters,
  });
  const http = await listen(app, { host: '127.0.0.1', port: 0 });
  const meter = cpuMeter();
  const delays = metrics.getSingleMetric('rg_stream_feed_delay_seconds') as unknown as {
    reset(): void;
    get(): Promise<{ values: { value: number; metricName?: string }[] }>;
  };
  const gateway: Server = {
    url: `${http.url}/api/v1/events/subscribe`,
    memory: async () => memory(),
    startCpu: async () => {
      meter.start();
      delays.reset();
    },
    stopCpu: async () => {
      const { values } = await delays.get();
      const of = (suffix: string) => values.find((v) => v.metricName?.endsWith(suffix))?.value ?? 0;
      return { cpu: meter.percent(), feedDelayMs: (of('_sum') / Math.max(1, of('_count'))) * 1000 };
    },
  };
  const baseline = await startBaselineProcess(organization);
  const servers = [
    { path: 'baseline: kafkajs + bare node:http', server: baseline as Server },
    { path: 'platform gateway (better-sse)', server: gateway },
  ];

  await sleep(500);
  const runs: {
    path: string;
    server: Server;
    clients: ReturnType<typeof child>;
    before: { heap: number; rss: number };
    idle: { heap: number; rss: number };
  }[] = [];
  for (const { path, server } of servers) {
    const before = await server.memory();
    const clients = child('clients', [
      '--url',
      server.url,
      '--key',
      key,
      '--clients',
      String(options.clients),
      '--sessions',
      String(options.sessions),
    ]);
    if ((await nextLine(clients.lines)) !== 'ready') throw new Error('clients failed to connect');
    await sleep(1000);
    runs.push({ path, server, clients, before, idle: await server.memory() });
  }
  for (const run of runs) await run.server.startCpu().then(() => run.clients.send('start'));
  const publisher = child('publisher', [
    '--rate',
    String(options.rate),
    '--seconds',
    String(options.seconds),
    '--sessions',
    String(options.sessions),
    '--organization',
    organization,
  ]);
  console.log(await nextLine(publisher.lines));
  // Until every client process has stopped receiving (the slowest frames of a busy machine), at most 120 s.
  const drainDeadline = Date.now() + 120_000;
  let counts = '';
  for (;;) {
    await sleep(2000);
    const now: string[] = [];
    for (const { clients } of runs) {
      clients.send('count');
      now.push(await nextLine(clients.lines));
    }
    if (now.join() === counts || Date.now() > drainDeadline) break;
    counts = now.join();
  }
  const results: Result[] = [];
  for (const run of runs) {
    const { cpu, feedDelayMs } = await run.server.stopCpu();
    run.clients.send('stop');
    const stats = JSON.parse(await nextLine(run.clients.lines)) as {
      frames: number;
      p50: number;
      p99: number;
      max: number;
      closed: number;
      cpuPercent: number;
    };
    results.push({
      ...stats,
      path: run.path,
      heapPerConn: (run.idle.heap - run.before.heap) / options.clients,
      rssPerConn: (run.idle.rss - run.before.rss) / options.clients,
      cpu,
      feedDelayMs,
    });
  }
  baseline.stop();
  await stream.stop?.();
  await http.close(1000);
  await platform.close();

  console.log(
    `\nexpected about ${fmt(Math.round(options.rate * options.seconds * (options.clients / options.sessions)))} frames per server`,
  );
  table(
    results.map((r) => ({
      path: r.path,
      clients: fmt(options.clients),
      frames: fmt(r.frames),
      'p50 ms': fmt(r.p50),
      'p99 ms': fmt(r.p99),
      'max ms': fmt(r.max),
      'created_at→consumer ms': fmt(r.feedDelayMs),
      'heap/conn KB': fmt(r.heapPerConn / 1024, 1),
      'rss/conn KB': fmt(r.rssPerConn / 1024, 1),
      'server cpu %': fmt(r.cpu, 0),
      'client cpu %': fmt(r.cpuPercent, 0),
      dropped: r.closed,
    })),
  );
  const [base, ours] = results as [Result, Result];
  console.log(
    `\nratios (gateway / baseline): p50 ${fmt(ours.p50 / base.p50, 2)}×, p99 ${fmt(ours.p99 / base.p99, 2)}× (target ≤ 2×), cpu ${fmt(ours.cpu / base.cpu, 2)}×, heap per connection ${fmt(ours.heapPerConn / Math.max(1, base.heapPerConn), 2)}×`,
  );
  console.log(
    `memory per idle gateway connection: heap ${fmt(ours.heapPerConn / 1024, 1)} KB, RSS ${fmt(ours.rssPerConn / 1024, 1)} KB (target ≤ 30 KB)`,
  );
  process.exit(0);
}
