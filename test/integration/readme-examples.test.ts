import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { newEventId } from '../../core/events/ids.js';
import { projectPath } from '../../core/paths.js';
import { startReplayer } from '../../services/replayer/start.js';
import { startSink } from '../../services/sink/start.js';
import { createClient, type Client, type PublishInput } from '../../sdk/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, uniqueOrganization } from '../support/config.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

// The README's examples, each marked `<!-- example: name -->` before its code block, run as a user
// runs them: written to a file inside the repository (so `resonant-events/sdk` resolves through
// the package's own `exports`, condition `rg-source`), type-checked, and run with tsx against a
// test API, each with an organization of its own.

const NAMES = ['webhooks-create', 'subscribe', 'list', 'replay', 'receiver', 'cli'] as const;
type Name = (typeof NAMES)[number];
const orgs = Object.fromEntries(
  NAMES.map((name) => [name, uniqueOrganization(`org_readme_${name.replace('-', '_')}`)]),
) as Record<Name, string>;
const dir = projectPath(`.readme-examples-${process.pid}`);
const TSX = projectPath('node_modules', '.bin', 'tsx');
const SECRET = 'whsec_cmVhZG1lLWV4YW1wbGUtc2VjcmV0LXRoaXJ0eS10d28hIQ==';

let t: TestApi;
let workers: { stop: () => Promise<void> }[] = [];
let examples: Map<string, { lang: string; code: string }>;
const receivers: Receiver[] = [];
const running = new Set<ChildProcess>();

/** The marked code blocks of the README, by name. */
async function readExamples(): Promise<Map<string, { lang: string; code: string }>> {
  const readme = await readFile(projectPath('README.md'), 'utf8');
  const found = new Map<string, { lang: string; code: string }>();
  for (const match of readme.matchAll(/<!-- example: ([\w-]+) -->\s*```(\w+)\n([\s\S]*?)```/g))
    found.set(match[1]!, { lang: match[2]!, code: match[3]! });
  return found;
}

function clientOf(name: Name): Client {
  return createClient({ apiKey: `key_${orgs[name]}`, baseUrl: t.url, timeoutMs: 90_000, maxRetries: 5 });
}

/** Runs a file (tsx with the `rg-source` condition, or bash) with the example's key and URL. */
function runExample(name: Name, env: Record<string, string> = {}) {
  const { lang } = examples.get(name)!;
  const file = `${dir}/${name}.${lang === 'ts' ? 'ts' : 'sh'}`;
  const child =
    lang === 'ts'
      ? spawn(TSX, ['--conditions=rg-source', file], {
          cwd: projectPath(),
          env: { ...process.env, RG_API_URL: t.url, RG_API_KEY: `key_${orgs[name]}`, ...env },
        })
      : spawn('bash', ['-euo', 'pipefail', file], {
          cwd: projectPath(),
          env: { ...process.env, RG_API_URL: t.url, RG_API_KEY: `key_${orgs[name]}`, ...env },
        });
  running.add(child);
  child.on('close', () => running.delete(child));
  const out = { stdout: '', stderr: '' };
  child.stdout.on('data', (chunk) => {
    out.stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    out.stderr += chunk;
  });
  const exited = new Promise<number>((resolve) =>
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
  return { child, out, exited };
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });

const withId = <T extends PublishInput>(event: T): T => ({ ...event, id: newEventId() });

beforeAll(async () => {
  examples = await readExamples();
  await mkdir(dir, { recursive: true });
  for (const [name, { lang, code }] of examples) {
    const prelude = lang === 'bash' ? `rg-events() { "${TSX}" "${projectPath('cli', 'main.ts')}" "$@"; }\n` : '';
    await writeFile(`${dir}/${name}.${lang === 'ts' ? 'ts' : 'sh'}`, prelude + code);
  }
  t = await startTestApi({
    organizations: Object.values(orgs),
    env: { RG_REPLAY_GROUP: uniqueOrganization('rg-replayer-readme'), RG_REPLAY_COUNT_WAIT: '20s' },
  });
  workers = [await startSink(t.platform), await startReplayer(t.platform)];
}, 180_000);

afterAll(async () => {
  // SIGTERM, not SIGKILL: tsx passes it on to the node process it runs the example in.
  for (const child of running) child.kill('SIGTERM');
  for (const worker of workers) await worker.stop();
  for (const r of receivers) await r.close();
  await t?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('the README examples', { timeout: 300_000 }, () => {
  it('are all run by this test, and type-check against the SDK', async () => {
    expect([...examples.keys()].sort()).toEqual([...NAMES].sort());
    const files = [...examples].filter(([, e]) => e.lang === 'ts').map(([name]) => `${dir}/${name}.ts`);
    const tsc = spawn(
      projectPath('node_modules', '.bin', 'tsc'),
      [
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--customConditions',
        'rg-source',
        '--target',
        'es2022',
        '--lib',
        'es2023,dom',
        '--types',
        'node',
        ...files,
      ],
      { cwd: projectPath() },
    );
    let output = '';
    tsc.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const code = await new Promise<number | null>((resolve) => tsc.on('exit', resolve));
    expect(output).toBe('');
    expect(code).toBe(0);
  });

  it('webhooks-create: creates a webhook, shows its secret once, rotates it', async () => {
    const { out, exited } = runExample('webhooks-create');
    expect(await exited, out.stderr).toBe(0);
    const id = /^created (wh_\w+); secret \(shown once\): whsec_\S+$/m.exec(out.stdout)?.[1];
    expect(id, out.stdout).toBeTruthy();
    expect(out.stdout).toMatch(/^new secret: whsec_\S+, old one valid until \d{4}-\d\d-\d\dT/m);
    expect(out.stdout).toMatch(/^0 delivery attempts so far$/m);
    const webhook = await clientOf('webhooks-create').webhooks.get(id!);
    expect(webhook.events).toEqual(['agent.created', 'session.completed', 'session.failed']);
  });

  it('subscribe: prints the live session events until session.completed', async () => {
    const client = clientOf('subscribe');
    const { out, exited } = runExample('subscribe');
    await eventually(
      async () => {
        await client.events.publish(
          withId({
            type: 'session.started',
            data: { ...GUIDE_EXAMPLES['session.started'], session_id: 'sess_123' } as never,
          }),
        );
        return eventually(() => (out.stdout.includes('session.started: ') ? true : undefined), {
          timeoutMs: 3_000,
        }).catch(() => undefined);
      },
      { timeoutMs: 150_000, intervalMs: 0, what: 'the example to attach' },
    );
    await client.events.publish([
      withId({
        type: 'session.completed',
        data: { ...GUIDE_EXAMPLES['session.completed'], session_id: 'sess_other' } as never,
      }),
      withId({
        type: 'session.completed',
        data: { ...GUIDE_EXAMPLES['session.completed'], session_id: 'sess_123' } as never,
      }),
    ]);
    expect(await exited, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^session\.completed: \{"session_id":"sess_123",.*"tokens_used":2500\}$/m);
    expect(out.stdout).not.toContain('sess_other');
  });

  it('list: polls with filters and iterates every page', async () => {
    const client = clientOf('list');
    const completed = (session: string, tokens: number) =>
      withId({
        type: 'session.completed' as const,
        data: { ...GUIDE_EXAMPLES['session.completed'], session_id: session, tokens_used: tokens } as never,
      });
    await client.events.publish([
      withId({ type: 'agent.created', data: GUIDE_EXAMPLES['agent.created'] as never }), // agent_123
      completed('sess_456', 100),
      completed('sess_456', 250),
      completed('sess_789', 1000),
      withId({
        type: 'session.failed',
        data: { ...GUIDE_EXAMPLES['session.failed'], session_id: 'sess_456' } as never,
      }),
      withId({ type: 'user.login', data: GUIDE_EXAMPLES['user.login'] as never }),
    ]);
    await eventually(async () => ((await client.events.list({ limit: 10 })).data.length === 6 ? true : undefined), {
      timeoutMs: 180_000,
      intervalMs: 1_000,
      what: 'the events in history',
    });
    const { out, exited } = runExample('list');
    expect(await exited, out.stderr).toBe(0);
    expect(out.stdout).toContain('polled 5 events (more: false)');
    expect(out.stdout).toContain('by type 4, by agent 1, by session 3, by time 0');
    expect(out.stdout).toContain(`failed: ${GUIDE_EXAMPLES['session.failed']!.error_message as string}`);
    expect(out.stdout).toContain('tokens used in sess_456: 350');
  });

  it('replay: replays a range to an endpoint and follows it to completion', async () => {
    const client = clientOf('replay');
    const r = await startReceiver();
    receivers.push(r);
    // A narrow range: the replayer scans every record of the topics in range, whoever published them.
    const since = new Date(Date.now() - 2_000).toISOString();
    const published = await client.events.publish([
      withId({
        type: 'session.started',
        data: { ...GUIDE_EXAMPLES['session.started'], session_id: 'sess_replay' } as never,
      }),
      withId({
        type: 'session.completed',
        data: { ...GUIDE_EXAMPLES['session.completed'], session_id: 'sess_replay' } as never,
      }),
      withId({ type: 'agent.created', data: GUIDE_EXAMPLES['agent.created'] as never }),
    ]);
    // A first replay (of the agent event, elsewhere) waits for the replayer to join its group, so
    // that the example's answer (which waits for the count) comes within its default timeout.
    const warm = await startReceiver();
    receivers.push(warm);
    const until = new Date(Date.now() + 1_000).toISOString();
    const warmUp = await client.events.replay({
      since,
      until,
      types: ['agent.*'],
      webhook_url: warm.url,
      secret: SECRET,
    });
    await eventually(
      async () => ((await client.events.getReplayStatus(warmUp.id)).status === 'completed' ? true : undefined),
      { timeoutMs: 120_000, intervalMs: 500, what: 'the warm-up replay' },
    );
    const { out, exited } = runExample('replay', {
      REPLAY_URL: r.url,
      REPLAY_SECRET: SECRET,
      REPLAY_SINCE: since,
      REPLAY_UNTIL: until,
    });
    expect(await exited, out.stderr).toBe(0);
    expect(out.stdout).toContain('Replaying 2 events');
    expect(out.stdout).toContain('Progress: 2/2 (completed)');
    expect(new Set(r.received.map((q) => q.headers['webhook-id']))).toEqual(
      new Set(published.slice(0, 2).map((p) => p.id)),
    );
  });

  it('receiver: accepts a signed delivery and refuses a tampered one', async () => {
    const port = await freePort();
    const { child, out, exited } = runExample('receiver', { PORT: String(port), WEBHOOK_SECRET: SECRET });
    try {
      const client = clientOf('receiver');
      const webhook = await client.webhooks.create({
        url: `http://127.0.0.1:${port}/webhook`,
        events: ['agent.created'],
        secret: SECRET,
      });
      const result = await eventually(
        async () => {
          const attempt = await client.webhooks.test(webhook.id);
          return attempt.delivered ? attempt : undefined; // until the example listens
        },
        { timeoutMs: 60_000, intervalMs: 500, what: 'the receiver to answer' },
      );
      expect(result.status_code).toBe(204);
      await eventually(() => (out.stdout.includes(`verified webhook.test ${result.event_id}`) ? true : undefined));
      const tampered = await fetch(`http://127.0.0.1:${port}/webhook`, {
        method: 'POST',
        headers: {
          'webhook-id': result.event_id,
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJl',
        },
        body: '{"id":"evt_forged","type":"agent.created"}',
      });
      expect(tampered.status).toBe(400);
      await eventually(() => (out.stdout.includes('refused: no matching signature') ? true : undefined));
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('cli: the main commands run as shown', async () => {
    const { out, exited } = runExample('cli', {
      SINCE: new Date(Date.now() - 2_000).toISOString(),
      UNTIL: new Date(Date.now() + 1_000).toISOString(),
    });
    expect(await exited, out.stderr).toBe(0);
    expect(out.stdout).toMatch(/^published evt_\w+ {2}user\.login/m);
    expect(out.stdout).toMatch(/^created wh_\w+ → https:\/\/example\.com\/webhook/m);
    expect(out.stdout).toMatch(
      /^wh_\w+ {2}enabled\s+https:\/\/example\.com\/webhook {2}agent\.created,session\.completed,session\.failed/m,
    );
    expect(out.stdout).toMatch(/^replay rpl_\w+ completed: 0 delivered, 0 failed of 0/m); // no session event in that hour
  });
});
