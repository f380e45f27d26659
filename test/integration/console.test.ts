import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EVENT_CATEGORIES, topicForCategory } from '../../core/events/categories.js';
import { GUIDE_EXAMPLES } from '../../core/events/examples.js';
import { newEventId } from '../../core/events/ids.js';
import { verifySignature } from '../../core/webhooks/signature.js';
import { toLocalInput } from '../../console/src/lib/time-range.js';
import { buildConsole } from '../../scripts/build-console.js';
import { startDemo } from '../../services/demo/start.js';
import { startDispatcher } from '../../services/dispatcher/start.js';
import { startReplayer } from '../../services/replayer/start.js';
import { startSink } from '../../services/sink/start.js';
import { TEST_ADMIN_KEY, startTestApi, type TestApi } from '../support/api.js';
import { launchBrowser, screenshot, type TestBrowser } from '../support/browser.js';
import { eventually, uniqueOrganization } from '../support/config.js';
import { startGroupAtEnds } from '../support/kafka.js';
import { startReceiver, type Receiver } from '../support/receiver.js';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.js';

// The web console in a real headless Chromium, against the real stack: the API (behind a TCP relay
// the outage test cuts), the sink, the dispatcher and the replay worker of this process.

const org = uniqueOrganization('org_console');
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const KEY = `key_${org}`;
const testStart = new Date(Date.now() - 1000).toISOString();

let t: TestApi;
let proxy: TcpProxy;
let browser: TestBrowser;
let page: Page;
let ok: Receiver;
let failing: Receiver;
const workers: { stop: () => Promise<void> }[] = [];
/** Console errors the running test expects (the browser logs every 4xx and refused connection). */
let expectedErrors: RegExp[] = [];
const webhooks: { ok?: string; failing?: string; secret?: string } = {};

beforeAll(async () => {
  const [{ files }] = await Promise.all([buildConsole(), (async () => (browser = await launchBrowser()))()]);
  expect(files.some((file) => file.path.endsWith('.js'))).toBe(true);
  const sinkGroup = `rg-sink-console-${run}`;
  t = await startTestApi({
    organizations: [org],
    env: {
      RG_SINK_GROUP: sinkGroup,
      RG_DISPATCHER_GROUP: `rg-dispatcher-console-${run}`,
      RG_DISPATCHER_RETRY_GROUP: `rg-dispatcher-retries-console-${run}`,
      RG_REPLAY_GROUP: `rg-replayer-console-${run}`,
      RG_REPLAY_CHECKPOINT_INTERVAL: '100ms',
      // The first retry of a failing delivery is due in 30 s: the console shows it as still to come.
      RG_WEBHOOK_RETRY_SCHEDULE: '30s,5m',
      RG_WEBHOOK_TIMEOUT: '2s',
    },
  });
  await startGroupAtEnds(t.platform.kafka, sinkGroup, EVENT_CATEGORIES.map(topicForCategory));
  workers.push(await startSink(t.platform));
  workers.push(await startDispatcher(t.platform));
  workers.push(await startReplayer(t.platform));
  ok = await startReceiver();
  failing = await startReceiver();
  failing.respond = () => ({ status: 500 });
  proxy = await startTcpProxy({ host: '127.0.0.1', port: t.api.http.port });
  page = await browser.newPage();
}, 180_000);

afterEach(() => {
  const unexpected = browser.errors.filter((error) => !expectedErrors.some((pattern) => pattern.test(error.text)));
  browser.errors.length = 0;
  expectedErrors = [];
  expect(unexpected, 'errors in the browser console').toEqual([]);
});

afterAll(async () => {
  for (const id of [webhooks.ok, webhooks.failing])
    if (id) await t?.call('DELETE', `/api/v1/webhooks/${id}`).catch(() => undefined);
  await browser?.close();
  await proxy?.close();
  for (const worker of workers.reverse()) await worker.stop();
  await ok?.close();
  await failing?.close();
  await t?.stop();
});

const consoleUrl = (hash = '') => `${proxy.url}/console/${hash}`;
/** Goes to a page of the console (the fragment is the page's address). */
const visit = async (hash: string) => {
  await page.goto(consoleUrl(hash));
  await page.locator('main h1').first().waitFor();
};

async function publish(events: Record<string, unknown>[]): Promise<string[]> {
  const answer = await t.call('POST', '/api/v1/events', { key: KEY, body: { events } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return answer.body.data.map((event: { id: string }) => event.id);
}

const inHistory = (ids: string[]) =>
  eventually(
    async () => {
      for (const id of ids)
        if ((await t.call('GET', `/api/v1/events/${id}`, { key: KEY })).status !== 200) return undefined;
      return true;
    },
    { timeoutMs: 60_000, what: `${ids.length} events in history` },
  );

const event = (type: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  id: newEventId(),
  type,
  data: { ...GUIDE_EXAMPLES[type], ...data },
  ...extra,
});

async function signIn(key: string) {
  await page.goto(consoleUrl());
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

describe('the API routes the console needs', () => {
  it("GET /whoami: the key's organization, or for an admin key the organizations the keys name", async () => {
    expect((await t.call('GET', '/api/v1/whoami', { key: KEY })).body).toEqual({
      admin: false,
      organization_id: org,
      organizations: [org],
    });
    expect((await t.call('GET', '/api/v1/whoami', { key: TEST_ADMIN_KEY })).body).toEqual({
      admin: true,
      organization_id: null,
      organizations: [org],
    });
    const refused = await t.call('GET', '/api/v1/whoami', { key: 'rg_no_such_key_1' });
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('unauthorized');
  });

  it('GET /event-types: every type of the catalogue with its fields, their types and an example', async () => {
    const { status, body } = await t.call('GET', '/api/v1/event-types', { key: KEY });
    expect(status).toBe(200);
    expect(body.data.map((entry: { type: string }) => entry.type)).toEqual(t.platform.catalog.types);
    const completed = body.data.find((entry: { type: string }) => entry.type === 'session.completed');
    expect(completed).toMatchObject({
      category: 'session',
      resource_key: 'session_id',
      example: GUIDE_EXAMPLES['session.completed'],
    });
    expect(completed.fields).toContainEqual({
      name: 'tokens_used',
      type: 'integer (int64)',
      required: true,
      nullable: false,
      description: expect.any(String),
    });
    const updated = body.data.find((entry: { type: string }) => entry.type === 'agent.updated');
    expect(updated.fields.map((field: { name: string }) => field.name)).toEqual(
      expect.arrayContaining(['changes', 'changes.*.old', 'changes.*.new']),
    );
    const paths = (await t.call('GET', '/api/v1/openapi.json')).body.paths;
    for (const path of ['/whoami', '/event-types', '/overview']) expect(paths[path]?.get, path).toBeDefined();
  });

  it('GET /overview: totals, delivery health and the sink; an unknown parameter is a 400 naming it', async () => {
    const { status, body } = await t.call('GET', '/api/v1/overview', { key: KEY });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      events: { last_hour: expect.any(Number), last_day: expect.any(Number) },
      deliveries: { attempts: expect.any(Number), failing_webhooks: expect.any(Array) },
      sink: { lag: expect.any(Number) },
    });
    const bad = await t.call('GET', '/api/v1/overview?window=2h', { key: KEY });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toEqual([{ field: 'window', message: 'is not a parameter of GET /overview' }]);
  });
});

describe('the web console in a browser', { timeout: 120_000 }, () => {
  it('is served with a strict Content-Security-Policy, every asset from the API itself', async () => {
    const index = await fetch(consoleUrl());
    expect(index.status).toBe(200);
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(index.headers.get('x-frame-options')).toBe('DENY');
    const html = await index.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets.every((asset) => !/^(https?:)?\/\//.test(asset))).toBe(true);
    for (const asset of assets) {
      const answer = await fetch(consoleUrl(asset));
      expect(answer.status, asset).toBe(200);
      if (asset.startsWith('assets/')) expect(answer.headers.get('cache-control')).toContain('immutable');
    }
    expect((await fetch(`${proxy.url}/console`, { redirect: 'manual' })).headers.get('location')).toBe('/console/');
    expect((await fetch(consoleUrl('missing.js'))).status).toBe(404);
  });

  it('refuses a wrong key with a clear error, signs in with a good one, keeps the key in the tab only', async () => {
    expectedErrors = [/status of 401/];
    await signIn('rg_wrong_key_123456');
    await page.getByText('This API key is not valid').waitFor();
    await screenshot(page, 'sign-in-error');
    await page.getByLabel('API key').fill(KEY);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Pages' }).waitFor();
    await page.locator('main h1', { hasText: 'Overview' }).waitFor();
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem('rg.console.session'),
      local: JSON.stringify(localStorage),
      url: location.href,
    }));
    expect(stored.session).toContain(KEY);
    expect(stored.local).not.toContain(KEY);
    expect(stored.url).not.toContain(KEY);
  });

  it('Live: an event published through the API shows within 2 s; filters; pause and resume lose nothing', async () => {
    await visit('#/live');
    await page.locator('[data-stream-state="live"]').waitFor();
    const [first] = await publish([event('agent.created', { agent_id: `agent_live_${run}` })]);
    const published = Date.now();
    await page.locator(`[data-event-id="${first}"]`).waitFor({ timeout: 10_000 });
    expect(Date.now() - published, 'publish → shown on the Live page (ms)').toBeLessThan(2000);

    // Expanded with the keyboard, the event shows its JSON.
    await page.locator(`[data-event-id="${first}"] summary`).focus();
    await page.keyboard.press('Enter');
    await page.locator(`[data-event-id="${first}"] .json`, { hasText: `"id": "${first}"` }).waitFor();

    await page.getByRole('button', { name: 'Pause' }).click();
    await page.locator('[data-stream-state="paused"]').waitFor();
    const whilePaused = await publish([
      event('agent.updated', { agent_id: `agent_live_${run}` }),
      event('agent.deleted', { agent_id: `agent_live_${run}` }),
    ]);
    expect(await page.locator(`[data-event-id="${whilePaused[0]}"]`).count()).toBe(0);
    await page.getByRole('button', { name: 'Resume' }).click();
    for (const id of whilePaused) await page.locator(`[data-event-id="${id}"]`).waitFor();
    // Newest on top.
    const order = await page
      .locator('[data-live-list] [data-event-id]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-event-id')));
    expect(order.indexOf(first!)).toBeGreaterThan(order.indexOf(whilePaused[1]!));
    await screenshot(page, 'live-light');

    // Filters: a session's completions only. The session's start goes to the same partition first,
    // so it would be on screen by the time the completion is if the filter let it through.
    const session = `sess_live_${run}`;
    await page.locator('input[name="types"]').fill('session.completed');
    await page.locator('input[name="session_id"]').fill(session);
    const subscribed = page.waitForRequest(
      (request) => request.url().includes('/events/subscribe?') && request.url().includes(session),
    );
    await page.getByRole('button', { name: 'Apply' }).click();
    await subscribed;
    await page.locator('[data-stream-state="live"]').waitFor();
    const [started, completed] = await publish([
      event('session.started', { session_id: session }),
      event('session.completed', { session_id: session }),
    ]);
    await page.locator(`[data-event-id="${completed}"]`).waitFor();
    expect(await page.locator(`[data-event-id="${started}"]`).count()).toBe(0);
    expect(await page.locator('[data-live-list] [data-event-id]').count()).toBe(1);
  });

  it('Live: an invalid filter is explained next to its field with the API’s details', async () => {
    expectedErrors = [/status of 400/];
    await visit('#/live?types=session.exploded');
    const error = page.locator('.field:has(input[name="types"]) [data-field-error]');
    await error.waitFor();
    expect(await error.textContent()).toContain('session.exploded');
  });

  it('Explorer: finds events by each filter, pages through more than a page, explains invalid filters', async () => {
    const session = `sess_explorer_${run}`;
    const past = new Date(Date.now() - 120_000).toISOString();
    const events = [
      ...Array.from({ length: 120 }, (_, i) =>
        event('session.step.completed', { session_id: session, step_number: i + 1 }),
      ),
      event('agent.created', { agent_id: `agent_explorer_${run}` }),
      event('team.task.assigned', { team_id: `team_explorer_${run}` }),
      event('user.login', { user_id: `user_explorer_${run}` }),
      event('billing.invoice.created', { invoice_id: `inv_${run}` }),
      event('system.incident.created', { incident_id: `inc_${run}` }, { created_at: past }),
    ];
    const ids = await publish(events);
    const [agent, team, user, invoice, incident] = ids.slice(120);
    await inHistory(ids.slice(115));

    await visit('#/explorer');
    const search = async (fill: () => Promise<void>) => {
      await visit('#/explorer');
      await fill();
      await page.getByRole('button', { name: 'Search' }).click();
    };
    const shows = (id: string) => page.locator(`tr[data-event-id="${id}"]`).waitFor();
    /** The search shows `n` events (each search is a new page instance, counting from 0). */
    const results = (n: number) => page.locator(`[data-results="${n}"]`).waitFor();

    await search(() => page.locator('input[name="types"]').fill('billing.invoice.created'));
    await results(1);
    await shows(invoice!);

    for (const [kind, value, id] of [
      ['agent_id', `agent_explorer_${run}`, agent],
      ['team_id', `team_explorer_${run}`, team],
      ['user_id', `user_explorer_${run}`, user],
    ] as const) {
      await search(async () => {
        await page.locator('select[name="resource_kind"]').selectOption(kind);
        await page.locator(`input[name="${kind}"]`).fill(value);
      });
      await results(1);
      await shows(id!);
    }

    // A custom time range (local time in the pickers) around the incident published two minutes ago.
    await search(async () => {
      await page.locator('select[name="range"]').selectOption('custom');
      await page.locator('input[name="since"]').fill(toLocalInput(new Date(Date.parse(past) - 5000).toISOString()));
      await page.locator('input[name="until"]').fill(toLocalInput(new Date(Date.parse(past) + 5000).toISOString()));
    });
    await results(1);
    await shows(incident!);

    // One session: 120 events, 100 a page; scrolling to the end loads the rest over the cursor.
    await search(async () => {
      await page.locator('select[name="resource_kind"]').selectOption('session_id');
      await page.locator('input[name="session_id"]').fill(session);
      await page.locator('select[name="order"]').selectOption('asc');
    });
    await results(100);
    await page.locator('.sentinel').scrollIntoViewIfNeeded();
    await results(120);
    const rows = await page
      .locator('tr[data-event-id]')
      .evaluateAll((items) => items.map((item) => item.getAttribute('data-event-id')));
    expect(new Set(rows).size).toBe(120);
    expect(new Set(rows)).toEqual(new Set(ids.slice(0, 120)));
    await screenshot(page, 'explorer-light');

    // Invalid input: the API's details next to the field they name.
    expectedErrors = [/status of 400/];
    await search(() => page.locator('input[name="types"]').fill('session.exploded'));
    const typesError = page.locator('.field:has(input[name="types"]) [data-field-error]');
    await typesError.waitFor();
    expect(await typesError.textContent()).toContain('unknown event type "session.exploded"');
    await search(async () => {
      await page.locator('select[name="range"]').selectOption('custom');
      await page.locator('input[name="since"]').fill(toLocalInput(new Date().toISOString()));
      await page.locator('input[name="until"]').fill(toLocalInput(new Date(Date.now() - 3_600_000).toISOString()));
    });
    const untilError = page.locator('.field:has(input[name="until"]) [data-field-error]');
    await untilError.waitFor();
    expect(await untilError.textContent()).toContain('must be after since');

    // An event's page: envelope, data, links to its resource's events, replay from here.
    await visit(`#/events/${agent}`);
    await page
      .locator('.json', { hasText: `agent_explorer_${run}` })
      .first()
      .waitFor();
    await screenshot(page, 'event-light');
    await page.getByRole('link', { name: /Every event of agent/ }).click();
    await shows(agent!);
    await visit(`#/events/${agent}`);
    await page.getByRole('link', { name: 'Replay from here' }).click();
    await page.locator('main h1', { hasText: 'Replays' }).waitFor();
    const created = (await t.call('GET', `/api/v1/events/${agent}`, { key: KEY })).body.created_at;
    expect(await page.locator('input[name="since"]').inputValue()).toBe(toLocalInput(created));
    expect(await page.locator('input[name="agent_id"]').inputValue()).toBe(`agent_explorer_${run}`);
  });

  it('renders event data as text: a payload holding HTML or script runs nothing', async () => {
    const session = `sess_html_${run}`;
    const markup = `<img src="x" onerror="document.body.dataset.injected='img'"><script>document.body.dataset.injected='script'</script><b>bold</b>`;
    await visit('#/live');
    await page.locator('[data-stream-state="live"]').waitFor();
    const [failed] = await publish([event('session.failed', { session_id: session, error_message: markup })]);
    await page.locator(`[data-event-id="${failed}"] summary`).click();
    await page.locator(`[data-event-id="${failed}"] .json`, { hasText: '<script>' }).waitFor();
    await inHistory([failed!]);
    for (const hash of [`#/events/${failed}`, `#/sessions/${session}`]) {
      await visit(hash);
      await page.getByText('<b>bold</b>', { exact: false }).first().waitFor();
      expect(await page.locator('main img, main script, main b').count(), hash).toBe(0);
    }
    expect(await page.evaluate(() => document.body.dataset.injected ?? null)).toBeNull();
  });

  it('Session timeline: a demo session’s steps in order, with durations, tools and the outcome', async () => {
    const demo = await startDemo(t.platform, { organizationId: org, intervalMs: 1000 });
    try {
      await eventually(
        async () => {
          const page = await t.call('GET', '/api/v1/events?session_id=sess_demo_0&limit=100', { key: KEY });
          return page.body.data?.some((e: { type: string }) => e.type === 'session.completed') ? true : undefined;
        },
        { timeoutMs: 60_000, what: 'the first demo session in history' },
      );
    } finally {
      await demo.stop();
    }
    await visit('#/sessions');
    await page.getByRole('link', { name: 'sess_demo_0', exact: true }).click();
    await page.locator('[data-outcome="completed"]').waitFor();
    const steps = await page
      .locator('[data-step]')
      .evaluateAll((rows) => rows.map((row) => Number(row.getAttribute('data-step'))));
    expect(steps).toEqual([1, 2]);
    expect(await page.locator('[data-step] .timeline__label').first().textContent()).toContain('web_search');
    expect(await page.locator('[data-step] .timeline__duration').first().textContent()).toMatch(/\d+(\.\d)? (ms|s)$/);
    await screenshot(page, 'session-light');
  });

  it('Webhooks: one created in the console receives a signed delivery whose attempt shows; a failing one shows its error and next retry', async () => {
    await visit('#/webhooks/new');
    await page.locator('input[name="url"]').fill(ok.url);
    await page.locator('input[name="description"]').fill('Console receiver');
    await page.locator('input[name="pattern"][value="session.*"]').check();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    const secret = (await page.locator('[data-secret]').textContent())!;
    expect(secret).toMatch(/^whsec_/);
    webhooks.ok = page.url().split('#/webhooks/')[1];
    webhooks.secret = secret;
    expect((await t.call('GET', `/api/v1/webhooks/${webhooks.ok}`, { key: KEY })).body.events).toEqual(['session.*']);
    await page.getByRole('button', { name: 'I have stored it' }).click();

    // The dispatcher sees a new subscription within about a second: publish until one arrives.
    const delivered = await eventually(
      async () => {
        const [id] = await publish([event('session.completed', { session_id: `sess_hook_${run}` })]);
        return eventually(() => ok.received.find((request) => request.headers['webhook-id'] === id), {
          timeoutMs: 5000,
        }).catch(() => undefined);
      },
      { timeoutMs: 60_000, intervalMs: 0, what: 'a delivery to the webhook created in the console' },
    );
    const verified = verifySignature([secret], delivered.headers as Record<string, string>, delivered.body);
    expect(verified.ok).toBe(true);
    // Deliveries are at least once (a rebalance may deliver an event again): any delivered attempt will do.
    const attempt = page
      .locator(`tr[data-event-id="${delivered.headers['webhook-id']}"][data-delivery-state="delivered"]`)
      .first();
    await attempt.waitFor({ timeout: 30_000 });
    expect(await attempt.locator('[data-status-code]').textContent()).toBe('200');
    await screenshot(page, 'webhook-light');

    // Send a test, rotate the secret (shown once), disable and enable again, edit.
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.locator('[data-action-result]', { hasText: 'Test delivered: HTTP 200' }).waitFor();
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('button', { name: 'Yes, rotate secret' }).click();
    await page.locator('[data-secret]').waitFor();
    expect(await page.locator('[data-secret]').textContent()).not.toBe(secret);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    await page.getByRole('button', { name: 'Disable' }).click();
    await page.getByText('disabled', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Enable' }).click();
    await page.getByText('enabled', { exact: true }).waitFor();
    await page.getByRole('link', { name: 'Edit' }).click();
    await page.locator('input[name="description"]').fill('Console receiver, edited');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('main h1', { hasText: 'Console receiver, edited' }).waitFor();

    // A failing endpoint (HTTP 500): its attempt shows the error and when the next one is due.
    await visit('#/webhooks/new');
    await page.locator('input[name="url"]').fill(failing.url);
    await page.locator('input[name="description"]').fill('Failing receiver');
    await page.locator('input[name="pattern"][value="agent.*"]').check();
    await page.getByRole('button', { name: 'Create webhook' }).click();
    await page.locator('[data-secret]').waitFor();
    webhooks.failing = page.url().split('#/webhooks/')[1];
    const failed = await eventually(
      async () => {
        const [id] = await publish([event('agent.created', { agent_id: `agent_hook_${run}` })]);
        return eventually(() => failing.received.find((request) => request.headers['webhook-id'] === id), {
          timeoutMs: 5000,
        }).catch(() => undefined);
      },
      { timeoutMs: 60_000, intervalMs: 0, what: 'an attempt on the failing webhook' },
    );
    const retrying = page.locator(
      `tr[data-event-id="${failed.headers['webhook-id']}"][data-delivery-state="retrying"]`,
    );
    await retrying.waitFor({ timeout: 30_000 });
    expect(await retrying.locator('[data-error]').textContent()).toBe('HTTP 500');
    expect(await retrying.locator('[data-status-code]').textContent()).toBe('500');
    expect(await retrying.locator('[data-next-retry]').textContent()).toMatch(/^in \d+ s$/);
    // Resending waits for the API's resend route: the button is there, disabled.
    expect(await retrying.getByRole('button', { name: 'Resend' }).isDisabled()).toBe(true);
    await screenshot(page, 'webhook-failing-light');

    await visit('#/webhooks');
    await page.locator(`tr[data-webhook-id="${webhooks.ok}"]`).waitFor();
    await screenshot(page, 'webhooks-light');

    // The overview lists the failing endpoint with its error, and the success rate of the attempts.
    await visit('#/');
    const row = page.locator('tr', { hasText: 'Failing receiver' });
    await row.waitFor();
    expect(await row.textContent()).toContain('HTTP 500');
    expect(await page.locator('.figure', { hasText: 'Delivery success' }).textContent()).toMatch(/\d+\.\d %/);
    expect(await page.locator('[data-chart-pending]').count()).toBe(2);
    await screenshot(page, 'overview-light');
  });

  it('Replays: one started in the console reaches completed, its progress bar at 100 %', async () => {
    expect(webhooks.ok).toBeDefined();
    const before = ok.received.length;
    await visit(`#/replays?since=${encodeURIComponent(testStart)}&webhook_id=${webhooks.ok}`);
    await page.locator('input[name="types"]').fill('session.completed');
    await page.getByRole('button', { name: 'Count events' }).click();
    await page.locator('[data-precount]', { hasText: 'no dry run' }).waitFor();
    await page.locator('select[name="webhook_id"]').selectOption(webhooks.ok!);
    await page.getByRole('button', { name: 'Start replay' }).click();
    const started = page.locator('[data-started]');
    await started.waitFor({ timeout: 60_000 });
    const replayId = (await started.locator('code').textContent())!;
    const row = page.locator(`[data-replay-id="${replayId}"][data-status="completed"]`);
    await row.waitFor({ timeout: 60_000 });
    expect(await row.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100');
    const replay = (await t.call('GET', `/api/v1/events/replay/${replayId}`, { key: KEY })).body;
    expect(replay.total).toBeGreaterThan(0);
    expect(await started.textContent()).toContain(`${replay.total} events to deliver`);
    expect(await row.locator('[data-delivered]').textContent()).toBe(`${replay.total} delivered`);
    const replayed = ok.received.slice(before).filter((request) => request.headers['rg-replay-id'] === replayId);
    expect(replayed.length).toBe(replay.total);
    await screenshot(page, 'replays-light');
  });

  it('shows a banner while the API is unreachable, reconnects by itself, and Live resumes with no gap', async () => {
    expectedErrors = [/ERR_CONNECTION|ERR_EMPTY_RESPONSE|Failed to load resource|network/i];
    /** Cuts the API off, publishes while it is, restores it: what was published shows once the console is back. */
    const outage = async (events: Record<string, unknown>[], shot?: string) => {
      await proxy.cut();
      await page.locator('[data-banner="offline"]').waitFor({ timeout: 15_000 });
      await page.locator('[data-stream-state="reconnecting"]').waitFor();
      const during = await publish(events);
      if (shot) await screenshot(page, shot);
      await proxy.restore();
      await page.locator('[data-banner="offline"]').waitFor({ state: 'detached', timeout: 15_000 });
      for (const id of during) await page.locator(`[data-event-id="${id}"]`).waitFor({ timeout: 15_000 });
      await page.locator('[data-stream-state="live"]').waitFor();
    };

    // A stream that has received events resumes after the last one's id (Last-Event-ID).
    await visit('#/live');
    await page.locator('[data-stream-state="live"]').waitFor();
    const [before] = await publish([event('team.task.assigned', { team_id: `team_gap_${run}` })]);
    await page.locator(`[data-event-id="${before}"]`).waitFor();
    await outage(
      [
        event('team.task.completed', { team_id: `team_gap_${run}` }),
        event('user.login', { user_id: `user_gap_${run}` }),
      ],
      'live-offline-light',
    );

    // A stream that has received nothing yet has no id to resume from: the gap comes from history.
    await visit(`#/live?types=user.*&user_id=user_quiet_${run}`);
    await page.locator('[data-stream-state="live"]').waitFor();
    await outage([event('user.login', { user_id: `user_quiet_${run}` })]);
  });

  it('an admin key picks the organization; a key refused mid-session signs out with a notice', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(TEST_ADMIN_KEY);
    await page.locator('input[name="organization"]').fill(org);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.locator('main h1', { hasText: 'Overview' }).waitFor();
    await visit('#/explorer?types=billing.invoice.created&range=all');
    await page.locator('tr[data-event-id]').first().waitFor();
    expect(await page.locator('header select').first().inputValue()).toBe(org);

    expectedErrors = [/status of 401/];
    await page.evaluate((organizationId) => {
      const session = { key: 'rg_revoked_key_1234', admin: false, organizationId, organizations: [] };
      sessionStorage.setItem('rg.console.session', JSON.stringify(session));
    }, org);
    await page.reload();
    await page.getByText('The API key was refused (wrong or revoked)').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('rg.console.session'))).toBeNull();
  });

  it('every page in the light and dark themes, with no error in the browser console', async () => {
    await signIn(KEY);
    await page.locator('main h1', { hasText: 'Overview' }).waitFor();
    // Reached from the navigation with the keyboard.
    await page.getByRole('link', { name: 'Catalog' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-event-type="session.completed"]').waitFor();
    expect(await page.locator('[data-event-type="session.completed"]').textContent()).toContain('tokens_used');
    await screenshot(page, 'catalog-light');
    const pages: [string, string, string][] = [
      ['overview', '#/', 'main .figure'],
      ['live', '#/live', '[data-stream-state="live"]'],
      ['explorer', '#/explorer', 'tr[data-event-id]'],
      ['session', '#/sessions/sess_demo_0', '[data-step]'],
      ['webhook', `#/webhooks/${webhooks.ok}`, 'tr[data-delivery-state]'],
      ['replays', '#/replays', '[data-replay-id]'],
      ['catalog', '#/catalog', '[data-event-type]'],
    ];
    await page.emulateMedia({ colorScheme: 'dark' });
    for (const [name, hash, ready] of pages) {
      await visit(hash);
      await page.locator(ready).first().waitFor();
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
      await screenshot(page, `${name}-dark`);
    }
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
