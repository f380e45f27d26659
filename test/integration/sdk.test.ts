import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { projectPath } from '../../core/paths.js';
import { startReplayer } from '../../services/replayer/start.js';
import { startSink } from '../../services/sink/start.js';
import {
  createClient,
  InvalidRequestError,
  NotFoundError,
  verifyWebhook,
  WebhookVerificationError,
  type Client,
} from '../../sdk/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, uniqueOrganization } from '../support/config.js';
import { startReceiver, type Receiver } from '../support/receiver.js';

const org = uniqueOrganization('org_sdk');
let t: TestApi;
let client: Client;
let workers: { stop: () => Promise<void> }[] = [];
let receiver: Receiver;

beforeAll(async () => {
  t = await startTestApi({
    organizations: [org],
    env: {
      RG_REPLAY_MAX_RUNNING: '50',
      RG_REPLAY_COUNT_WAIT: '60s',
      RG_REPLAY_GROUP: uniqueOrganization('rg-replayer-test'),
    },
  });
  workers = [await startSink(t.platform), await startReplayer(t.platform)];
  receiver = await startReceiver();
  client = createClient({ apiKey: `key_${org}`, baseUrl: t.url, timeoutMs: 90_000, maxRetries: 5 });
});
afterAll(async () => {
  for (const worker of workers) await worker.stop();
  await receiver?.close();
  await t?.stop();
});

// Generous waits: the shared 2-core machine can make the sink and Kafka slow.
describe('the SDK against the running platform', { timeout: 300_000 }, () => {
  it('publishes, lists (a page and every page), and gets events as the guide shows', async () => {
    const published = await client.events.publish(
      Array.from({ length: 25 }, (_, n) => ({
        type: 'session.step.completed' as const,
        data: { ...GUIDE_EXAMPLES['session.step.completed'], session_id: 'sess_sdk', step_number: n } as never,
      })),
    );
    expect(published).toHaveLength(25);
    const page = await eventually(
      async () => {
        const p = await client.events.list({ session_id: 'sess_sdk', limit: 10 });
        return p.has_more ? p : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500, what: 'the published events in history' },
    );
    expect(page.data).toHaveLength(10);

    const all: string[] = [];
    for await (const event of client.events.listAll({ session_id: 'sess_sdk', limit: 7 })) {
      all.push(event.id);
      if (all.length === 3)
        await client.events.publish({
          type: 'session.step.completed',
          data: { ...GUIDE_EXAMPLES['session.step.completed'], session_id: 'sess_sdk', step_number: 99 } as never,
        });
    }
    expect(new Set(all)).toEqual(new Set(published.map((p) => p.id)));

    const one = await client.events.get(published[0]!.id);
    if (one.type === 'session.step.completed') expect(one.data.session_id).toBe('sess_sdk');
    else throw new Error(`unexpected type ${one.type}`);
  });

  it('types errors by their code', async () => {
    await expect(client.events.get('evt_00000000000000000000000000')).rejects.toBeInstanceOf(NotFoundError);
    const error = await client.events.list({ types: ['session.exploded'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).code).toBe('unknown_event_type');
  });

  it('replays a range to completion and the delivery verifies with verifyWebhook', async () => {
    const secret = 'whsec_c2RrLXJlcGxheS1zZWNyZXQtdGhpcnR5LXR3byBieXRlcyE=';
    const since = new Date(Date.now() - 2000).toISOString();
    const [event] = await client.events.publish({
      type: 'agent.created',
      data: { ...GUIDE_EXAMPLES['agent.created'], agent_id: 'agent_sdk' } as never,
    });
    const until = new Date(Date.now() + 1000).toISOString();
    const replay = await client.events.replay({
      since,
      until,
      agent_id: 'agent_sdk',
      webhook_url: receiver.url,
      secret,
    });
    expect(replay.event_count).toBe(1);
    const status = await eventually(
      async () => {
        const s = await client.events.getReplayStatus(replay.id);
        return s.status === 'completed' ? s : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 500, what: 'the replay to complete' },
    );
    expect(status.delivered).toBe(1);
    // A finished replay cannot be cancelled: the call reaches the API and answers its typed refusal.
    await expect(client.events.cancelReplay(replay.id)).rejects.toMatchObject({ status: 409, code: 'conflict' });
    await expect(client.events.getReplayStatus('rpl_00000000000000000000000000')).rejects.toBeInstanceOf(NotFoundError);
    const delivery = receiver.received.find((r) => r.headers['webhook-id'] === event!.id)!;
    const verified = await verifyWebhook<{ id: string }>(
      delivery.body,
      delivery.headers as Record<string, string>,
      secret,
    );
    expect(verified.id).toBe(event!.id);
    await expect(
      verifyWebhook(
        delivery.body.replace('agent_sdk', 'agent_evil'),
        delivery.headers as Record<string, string>,
        secret,
      ),
    ).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(
      verifyWebhook(
        delivery.body,
        delivery.headers as Record<string, string>,
        'whsec_d3Jvbmctc2VjcmV0LXdyb25nLXNlY3JldCE=',
      ),
    ).rejects.toBeInstanceOf(WebhookVerificationError);
    await expect(
      verifyWebhook(delivery.body, delivery.headers as Record<string, string>, secret, { nowMs: Date.now() + 600_000 }),
    ).rejects.toThrow(/too old/);
  });
});

describe('the CLI', { timeout: 300_000 }, () => {
  const cli = (args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(projectPath('node_modules', '.bin', 'tsx'), [projectPath('cli', 'main.ts'), ...args], {
        env: { ...process.env, RG_API_KEY: `key_${org}`, RG_API_URL: t.url },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
      });
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });

  it('publishes, lists and gets, in human and JSON output, with trustworthy exit codes', async () => {
    const published = await cli([
      'publish',
      '--type',
      'user.login',
      '--data',
      JSON.stringify({ ...GUIDE_EXAMPLES['user.login'], user_id: 'user_cli' }),
      '--json',
    ]);
    expect(published.code, published.stderr).toBe(0);
    const id = (JSON.parse(published.stdout) as { id: string }[])[0]!.id;
    const listed = await eventually(
      async () => {
        const out = await cli(['list', '--user-id', 'user_cli', '--json']);
        return out.code === 0 && (JSON.parse(out.stdout) as { data: { id: string }[] }).data.some((e) => e.id === id)
          ? out
          : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 1_000, what: 'the CLI-published event in history' },
    );
    expect(listed.code).toBe(0);
    const human = await cli(['get', id!]);
    expect(human.stdout).toContain('"user_cli"');
    expect((await cli(['get', 'evt_00000000000000000000000000'])).code).toBe(1);
    expect((await cli(['list', '--types', 'nope.*'])).stderr).toMatch(/unknown_event_type|invalid_request/);
    expect((await cli(['publish'])).code).toBe(2);
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('listen');
    expect((await cli(['replay', '--help'])).stdout).toContain('--since');
  });
});
