import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { newEventId } from '../../core/events/ids.js';
import { projectPath } from '../../core/paths.js';
import { commands } from '../../cli/commands.js';
import { startDispatcher } from '../../services/dispatcher/start.js';
import { startReplayer } from '../../services/replayer/start.js';
import { createClient, verifyWebhook, type Client } from '../../sdk/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, uniqueOrganization } from '../support/config.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

const org = uniqueOrganization('org_cli');
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const SECRET = 'whsec_Y2xpLXRlc3Qtc2VjcmV0LXRoaXJ0eS10d28tYnl0ZXMhIQ==';

let t: TestApi;
let client: Client;
let workers: { stop: () => Promise<void> }[] = [];
const receivers: Receiver[] = [];
const running = new Set<ChildProcessWithoutNullStreams>();

beforeAll(async () => {
  t = await startTestApi({
    organizations: [org],
    env: {
      RG_WEBHOOK_RETRY_SCHEDULE: '300ms,600ms,1s,2s,2s',
      RG_DISPATCHER_GROUP: `rg-dispatcher-cli-${run}`,
      RG_DISPATCHER_RETRY_GROUP: `rg-dispatcher-retries-cli-${run}`,
      RG_REPLAY_GROUP: `rg-replayer-cli-${run}`,
      RG_REPLAY_COUNT_WAIT: '60s',
    },
  });
  workers = [await startDispatcher(t.platform), await startReplayer(t.platform)];
  client = createClient({ apiKey: `key_${org}`, baseUrl: t.url, timeoutMs: 90_000, maxRetries: 5 });
}, 180_000);

afterAll(async () => {
  // SIGTERM, not SIGKILL: tsx passes it on to the node process it runs the CLI in.
  for (const child of running) child.kill('SIGTERM');
  for (const webhook of (await client?.webhooks.list().catch(() => undefined))?.data ?? [])
    await client.webhooks.delete(webhook.id).catch(() => undefined);
  for (const worker of workers) await worker.stop();
  for (const r of receivers) await r.close();
  await t?.stop();
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

/** `rg-events <args>` as a user runs it, with the key and URL in the environment. */
function start(args: string[], env: Record<string, string> = {}) {
  const child = spawn(projectPath('node_modules', '.bin', 'tsx'), [projectPath('cli', 'main.ts'), ...args], {
    env: { ...process.env, RG_API_KEY: `key_${org}`, RG_API_URL: t.url, ...env },
  });
  running.add(child);
  const result = { stdout: '', stderr: '', code: undefined as number | undefined };
  child.stdout.on('data', (chunk) => {
    result.stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    result.stderr += chunk;
  });
  const exited = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code, signal) => {
      running.delete(child);
      result.code = code ?? (signal ? 128 : 1);
      resolve({ code: result.code, stdout: result.stdout, stderr: result.stderr });
    });
  });
  return {
    child,
    result,
    exited,
    jsonLines: () =>
      result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const cli = (args: string[], env?: Record<string, string>) => start(args, env).exited;

// Generous: the shared 2-core machine can make Kafka slow to acknowledge.
describe('the CLI, as a user runs it', { timeout: 300_000 }, () => {
  it('has --help on every command, and on the webhooks group', async () => {
    const names = Object.keys(commands);
    expect(names).toEqual(
      expect.arrayContaining([
        'publish',
        'list',
        'get',
        'tail',
        'replay',
        'listen',
        'deliveries',
        'webhooks create',
        'webhooks list',
        'webhooks delete',
        'webhooks rotate',
      ]),
    );
    for (let i = 0; i < names.length; i += 4) {
      const outs = await Promise.all(
        names.slice(i, i + 4).map((name) => cli([...name.split(' '), '--help'], { RG_API_KEY: '' })),
      );
      outs.forEach((out, n) => {
        expect(out.code, names[i + n]).toBe(0);
        expect(out.stdout).toContain(`Usage: rg-events ${names[i + n]}`);
      });
    }
    const group = await cli(['webhooks', '--help']);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/webhooks rotate/);
    expect((await cli(['frobnicate'])).code).toBe(2);
  });

  it('gives exit codes scripts can trust: 2 for usage, 3 when the API cannot be reached', async () => {
    const noKey = await cli(['list'], { RG_API_KEY: '' });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toMatch(/RG_API_KEY/);
    expect((await cli(['list', '--bogus'])).code).toBe(2);
    expect((await cli(['list', '--limit', 'ten'])).code).toBe(2);
    expect((await cli(['webhooks', 'create', '--url', 'https://example.com/hook'])).code).toBe(2);
    const unreachable = await cli(['list'], { RG_API_URL: 'http://127.0.0.1:9' });
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toMatch(/cannot reach the API/);
    // The streaming commands too, after a few tries, instead of waiting forever.
    for (const args of [['tail'], ['listen', '--forward-to', 'http://127.0.0.1:9/hook']]) {
      const stream = await cli(args, { RG_API_URL: 'http://127.0.0.1:9' });
      expect(stream.code, args[0]).toBe(3);
      expect(stream.stderr).toMatch(/cannot reach the API/);
    }
  });

  it('manages webhooks (create, list, rotate, delete) and shows their deliveries', async () => {
    const r = await receiver();
    const created = await cli([
      'webhooks',
      'create',
      '--url',
      r.url,
      '--events',
      'user.login',
      '--description',
      'from the CLI',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const id = /created (wh_\w+)/.exec(created.stdout)![1]!;
    const secret = /secret \(shown once[^)]*\): (\S+)/.exec(created.stdout)![1]!;
    expect(secret).toMatch(/^whsec_/);

    const listed = await cli(['webhooks', 'list', '--json']);
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { data: { id: string; description: string }[] }).data).toContainEqual(
      expect.objectContaining({ id, description: 'from the CLI' }),
    );
    expect((await cli(['webhooks', 'list'])).stdout).toMatch(
      new RegExp(`${id}\\s+enabled\\s+${r.url.replace(/[.]/g, '\\.')}`),
    );

    // A real delivery, then the delivery log in human and JSON form.
    const eventId = await eventually(
      async () => {
        const [published] = await client.events.publish({
          id: newEventId(),
          type: 'user.login',
          data: { ...GUIDE_EXAMPLES['user.login'], user_id: 'user_cli_hook' } as never,
        });
        return eventually(
          () => (r.received.some((q) => q.headers['webhook-id'] === published!.id) ? published!.id : undefined),
          { timeoutMs: 8_000 },
        ).catch(() => undefined);
      },
      { timeoutMs: 150_000, intervalMs: 0, what: 'a delivery' },
    );
    const request = r.received.find((q) => q.headers['webhook-id'] === eventId)!;
    expect((await verifyWebhook<{ id: string }>(request.body, request.headers, secret)).id).toBe(eventId);
    const log = await eventually(
      async () => {
        const out = await cli(['deliveries', id, '--event-id', eventId, '--json']);
        return out.code === 0 &&
          (JSON.parse(out.stdout) as { data: { state: string }[] }).data.some((d) => d.state === 'delivered')
          ? out
          : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500, what: 'the delivery in the log' },
    );
    expect(JSON.parse(log.stdout).data[0]).toMatchObject({ event_id: eventId, attempt: 1, status_code: 200 });
    const human = await cli(['deliveries', id]);
    expect(human.stdout).toMatch(new RegExp(`delivered\\s+#1\\s+200 .*user\\.login ${eventId}`));

    const rotated = await cli(['webhooks', 'rotate', id, '--json']);
    expect(rotated.code).toBe(0);
    const newSecret = (JSON.parse(rotated.stdout) as { secret: string }).secret;
    expect(newSecret).toMatch(/^whsec_/);
    expect(newSecret).not.toBe(secret);

    expect((await cli(['webhooks', 'delete', id])).stdout).toContain(`deleted ${id}`);
    const again = await cli(['webhooks', 'delete', id, '--json']);
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stderr)).toMatchObject({ error: { code: 'not_found', status: 404 } });
    const bad = await cli(['webhooks', 'create', '--url', 'ftp://example.com', '--events', 'user.login']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/invalid_request[\s\S]*url:/);
  });

  it('tails the live stream with filters, and stops cleanly on SIGINT', async () => {
    const session = `sess_cli_tail_${run}`;
    const tail = start(['tail', '--events', 'session.*', '--session-id', session, '--json']);
    // Probes until the stream is attached (a fresh subscription starts at the live end).
    await eventually(
      async () => {
        await client.events.publish({
          id: newEventId(),
          type: 'session.started',
          data: { ...GUIDE_EXAMPLES['session.started'], session_id: session } as never,
        });
        return eventually(() => (tail.jsonLines().length > 0 ? true : undefined), { timeoutMs: 3_000 }).catch(
          () => undefined,
        );
      },
      { timeoutMs: 150_000, intervalMs: 0, what: 'tail to attach' },
    );
    const published = await client.events.publish([
      {
        id: newEventId(),
        type: 'session.completed',
        data: { ...GUIDE_EXAMPLES['session.completed'], session_id: `${session}_other` } as never,
      },
      { id: newEventId(), type: 'agent.created', data: GUIDE_EXAMPLES['agent.created'] as never },
      {
        id: newEventId(),
        type: 'session.completed',
        data: { ...GUIDE_EXAMPLES['session.completed'], session_id: session } as never,
      },
    ]);
    await eventually(() => (tail.jsonLines().some((e) => e.id === published[2]!.id) ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the matching event',
    });
    tail.child.kill('SIGINT');
    const { code } = await tail.exited;
    expect(code).toBe(0);
    const lines = tail.jsonLines();
    expect(
      lines.every(
        (e) => (e.data as { session_id?: string }).session_id === session && String(e.type).startsWith('session.'),
      ),
    ).toBe(true);
    expect(lines.map((e) => e.id)).not.toContain(published[0]!.id);
  });

  it('listen --forward-to forwards each event, signed, and reports each forward’s status', async () => {
    const r = await receiver();
    const agent = `agent_cli_listen_${run}`;
    const listen = start([
      'listen',
      '--forward-to',
      r.url,
      '--events',
      'agent.*',
      '--agent-id',
      agent,
      '--secret',
      SECRET,
      '--json',
    ]);
    await eventually(
      async () => {
        await client.events.publish({
          id: newEventId(),
          type: 'agent.updated',
          data: { ...GUIDE_EXAMPLES['agent.updated'], agent_id: agent } as never,
        });
        return eventually(() => (listen.jsonLines().length > 0 ? true : undefined), { timeoutMs: 3_000 }).catch(
          () => undefined,
        );
      },
      { timeoutMs: 150_000, intervalMs: 0, what: 'listen to attach' },
    );
    r.respond = (request) => ({ status: request.body.includes('"permanent":true') ? 500 : 200 });
    const [ok] = await client.events.publish({
      id: newEventId(),
      type: 'agent.created',
      data: { ...GUIDE_EXAMPLES['agent.created'], agent_id: agent } as never,
    });
    const [failing] = await client.events.publish({
      id: newEventId(),
      type: 'agent.deleted',
      data: { ...GUIDE_EXAMPLES['agent.deleted'], agent_id: agent, permanent: true } as never,
    });
    await eventually(() => (listen.jsonLines().some((l) => l.event_id === failing!.id) ? true : undefined), {
      timeoutMs: 30_000,
      what: 'both forwards',
    });

    const lines = listen.jsonLines();
    expect(lines.find((l) => l.event_id === ok!.id)).toMatchObject({ type: 'agent.created', status: 200, ok: true });
    expect(lines.find((l) => l.event_id === failing!.id)).toMatchObject({
      type: 'agent.deleted',
      status: 500,
      ok: false,
    });
    const request = r.received.find((q) => q.headers['webhook-id'] === ok!.id)!;
    const verified = await verifyWebhook<{ id: string; data: { agent_id: string } }>(
      request.body,
      request.headers,
      SECRET,
    );
    expect(verified).toMatchObject({ id: ok!.id, data: { agent_id: agent } });
    expect(Object.keys(JSON.parse(request.body)).sort()).toEqual(['created_at', 'data', 'id', 'metadata', 'type']);

    listen.child.kill('SIGINT');
    const { code, stderr } = await listen.exited;
    expect(code).toBe(0);
    expect(stderr).toMatch(/forwarding events to .*\nsigning secret: whsec_/);
    expect(stderr).toMatch(/stopped: \d+ forwarded, 1 failed/);
  });

  it('replays a range with a progress bar until it finishes', async () => {
    const r = await receiver();
    const agent = `agent_cli_replay_${run}`;
    const since = new Date(Date.now() - 2_000).toISOString();
    const published = await client.events.publish(
      Array.from({ length: 3 }, () => ({
        id: newEventId(),
        type: 'agent.created' as const,
        data: { ...GUIDE_EXAMPLES['agent.created'], agent_id: agent } as never,
      })),
    );
    const until = new Date(Date.now() + 1_000).toISOString();
    const replay = await cli([
      'replay',
      '--since',
      since,
      '--until',
      until,
      '--agent-id',
      agent,
      '--types',
      'agent.*',
      '--webhook-url',
      r.url,
      '--secret',
      SECRET,
    ]);
    expect(replay.code, replay.stderr).toBe(0);
    expect(replay.stderr).toMatch(/replaying 3 events/);
    expect(replay.stderr).toMatch(/\[#+\] 100% 3\/3 completed/);
    expect(replay.stdout).toMatch(/replay rpl_\w+ completed: 3 delivered, 0 failed of 3/);
    expect(new Set(r.received.map((q) => q.headers['webhook-id']))).toEqual(new Set(published.map((p) => p.id)));

    const json = await cli([
      'replay',
      '--since',
      since,
      '--until',
      until,
      '--agent-id',
      agent,
      '--webhook-url',
      r.url,
      '--secret',
      SECRET,
      '--no-wait',
      '--json',
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ id: expect.stringMatching(/^rpl_/), event_count: 3 });
    expect((await cli(['replay', '--since', since, '--webhook-url', r.url])).code).toBe(2);
  });
});
