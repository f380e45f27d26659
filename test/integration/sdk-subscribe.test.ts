import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { newEventId } from '../../core/events/ids.js';
import {
  createClient,
  InvalidRequestError,
  AuthenticationError,
  type Client,
  type StreamedEvent,
} from '../../sdk/index.js';
import { startTestApi, type TestApi } from '../support/api.js';
import { eventually, uniqueOrganization } from '../support/config.js';

const org = uniqueOrganization('org_sdksub');

/**
 * A TCP proxy standing for the gateway's stable address: the SDK keeps one base URL while the API
 * process behind it is stopped and another one started. `target` null refuses connections.
 */
async function startProxy(): Promise<{ url: string; target: number | null; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const proxy = { url: '', target: null as number | null, close: async () => {} };
  const server: Server = createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (proxy.target === null) return void client.destroy();
    const upstream = connect(proxy.target, '127.0.0.1');
    sockets.add(upstream);
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return proxy;
}

const port = (t: TestApi) => Number(new URL(t.url).port);
// Ids from the publisher make its publishes safe to retry: the SDK retries a 503 by itself.
const event = (type: 'session.started' | 'session.completed' | 'agent.created', session: string) => ({
  id: newEventId(),
  type,
  data: (type === 'agent.created'
    ? { ...GUIDE_EXAMPLES[type], agent_id: `agent_${session}` }
    : { ...GUIDE_EXAMPLES[type], session_id: session, agent_id: `agent_${session}` }) as never,
});

let first: TestApi | undefined;
let second: TestApi | undefined;
let proxy: Awaited<ReturnType<typeof startProxy>>;

beforeAll(async () => {
  first = await startTestApi({ organizations: [org] });
  proxy = await startProxy();
  proxy.target = port(first);
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await first?.stop();
  await second?.stop();
});

/** Reads a subscription in the background into `received`. */
function drain(subscription: AsyncIterable<StreamedEvent>) {
  const received: StreamedEvent[] = [];
  const done = (async () => {
    for await (const e of subscription) received.push(e);
  })();
  return { received, done };
}

/** Publishes a probe until the subscription shows it: from then on the stream is attached. */
async function waitAttached(publisher: Client, received: StreamedEvent[], session: string): Promise<void> {
  await eventually(
    async () => {
      await publisher.events.publish(event('session.started', session));
      return eventually(() => (received.length > 0 ? true : undefined), { timeoutMs: 3_000 }).catch(() => undefined);
    },
    { timeoutMs: 150_000, intervalMs: 0, what: 'the stream to attach' },
  );
}

// Generous: the shared 2-core machine can make Kafka slow to acknowledge.
describe('events.subscribe', { timeout: 300_000 }, () => {
  it('receives only matching events, and survives a gateway restart resuming with Last-Event-ID without gap or duplicate', async () => {
    const session = `sess_sub_${Date.now().toString(36)}`;
    const viaFirst = createClient({ apiKey: `key_${org}`, baseUrl: first!.url, maxRetries: 5 });
    const streaming = createClient({ apiKey: `key_${org}`, baseUrl: proxy.url });
    const subscription = streaming.events.subscribe({
      events: ['session.*'],
      session_id: session,
      maxReconnectDelayMs: 1_000,
    });
    const { received, done } = drain(subscription);
    await waitAttached(viaFirst, received, session);
    // Probes are session.started; the events under test are session.completed.
    const completedCount = () => received.filter((e) => e.type === 'session.completed').length;

    // A: matching events mixed with others (another session, another category).
    const a = await viaFirst.events.publish([
      event('session.started', `${session}_other`),
      event('agent.created', session),
      ...Array.from({ length: 5 }, () => event('session.completed', session)),
    ]);
    const expected = a.slice(2).map((p) => p.id);
    await eventually(() => (completedCount() >= 5 ? true : undefined), { timeoutMs: 30_000, what: 'batch A' });
    const cursorBeforeRestart = subscription.lastEventId;
    expect(cursorBeforeRestart).toBeTruthy();

    // The gateway restarts: the first API stops (its streams end), nothing answers for a while,
    // then another API process comes up behind the same address.
    proxy.target = null;
    await first!.stop();
    first = undefined;
    second = await startTestApi({ organizations: [org] });
    const viaSecond = createClient({ apiKey: `key_${org}`, baseUrl: second.url, maxRetries: 5 });
    // B: published while the subscriber is disconnected; it must come from the resume.
    const b = await viaSecond.events.publish(Array.from({ length: 5 }, () => event('session.completed', session)));
    expected.push(...b.map((p) => p.id));
    proxy.target = port(second);
    await eventually(() => (completedCount() >= 10 ? true : undefined), {
      timeoutMs: 60_000,
      what: 'batch B after the restart',
    });
    // C: live again.
    const c = await viaSecond.events.publish(Array.from({ length: 3 }, () => event('session.completed', session)));
    expected.push(...c.map((p) => p.id));
    await eventually(() => (completedCount() >= 13 ? true : undefined), { timeoutMs: 30_000, what: 'batch C' });

    subscription.close();
    await done;
    const after = received.filter((e) => e.type === 'session.completed').map((e) => e.id);
    // One session's events share a partition: they arrive in publish order, each exactly once.
    expect(after).toEqual(expected);
    expect(new Set(received.map((e) => e.id)).size).toBe(received.length);
    expect(
      received.every(
        (e) => e.type.startsWith('session.') && (e.data as { session_id?: string }).session_id === session,
      ),
    ).toBe(true);
    expect(subscription.lastEventId).not.toBe(cursorBeforeRestart);
  });

  it('resumes a later subscription from a saved lastEventId', async () => {
    const api = second ?? first!;
    const session = `sess_sub_resume_${Date.now().toString(36)}`;
    const client = createClient({ apiKey: `key_${org}`, baseUrl: api.url, maxRetries: 5 });
    const one = client.events.subscribe({ events: ['session.completed', 'session.started'], session_id: session });
    const { received, done } = drain(one);
    await waitAttached(client, received, session);
    const saved = one.lastEventId!;
    one.close();
    await done;
    const missed = await client.events.publish(Array.from({ length: 3 }, () => event('session.completed', session)));

    const resumed: string[] = [];
    // (Only session.completed this time: a late probe must not count; the cursor covers the session topic.)
    for await (const e of client.events.subscribe({
      events: ['session.completed'],
      session_id: session,
      lastEventId: saved,
    })) {
      resumed.push(e.id);
      if (resumed.length === 3) break; // `break` ends the subscription and its request
    }
    expect(resumed).toEqual(missed.map((p) => p.id));
  });

  it('ends with a typed error when the API refuses the subscription', async () => {
    const api = second ?? first!;
    const client = createClient({ apiKey: `key_${org}`, baseUrl: api.url });
    const iterate = async (c: Client, params: Parameters<Client['events']['subscribe']>[0]) => {
      for await (const _ of c.events.subscribe(params)) return 'an event';
      return 'the end';
    };
    const refused = await iterate(client, { events: ['session.exploded'] }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(InvalidRequestError);
    expect(refused).toMatchObject({ code: 'unknown_event_type', status: 400 });
    const bad = await iterate(client, { lastEventId: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: 'invalid_cursor' });
    const unauthorized = await iterate(createClient({ apiKey: 'wrong', baseUrl: api.url }), {}).catch(
      (e: unknown) => e,
    );
    expect(unauthorized).toBeInstanceOf(AuthenticationError);
  });
});
