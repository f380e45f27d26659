import { readFile } from 'node:fs/promises';
import type { Client } from '../sdk/client.js';
import { signWebhook } from '../sdk/verify.js';
import type { PublishInput } from '../sdk/types.js';
import { eventLine, progressBar, type Output } from './output.js';

export interface CommandContext {
  client: Client;
  out: Output;
  /** Positional arguments after the command words. */
  args: string[];
  /** Parsed flags. */
  flags: Record<string, string | boolean | string[] | undefined>;
  signal: AbortSignal;
}

export class UsageError extends Error {}

const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const list = (value: unknown): string[] | undefined => (typeof value === 'string' ? value.split(',').map((v) => v.trim()).filter(Boolean) : undefined);
const filters = (flags: CommandContext['flags']) => ({
  ...(str(flags['session-id']) ? { session_id: str(flags['session-id']) } : {}),
  ...(str(flags['agent-id']) ? { agent_id: str(flags['agent-id']) } : {}),
  ...(str(flags['team-id']) ? { team_id: str(flags['team-id']) } : {}),
  ...(str(flags['user-id']) ? { user_id: str(flags['user-id']) } : {}),
});

async function readJsonInput(source: string): Promise<unknown> {
  const text = source === '-' ? await readStdin() : source.trim().startsWith('{') || source.trim().startsWith('[') ? source : await readFile(source, 'utf8');
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError('the event must be JSON (inline, a file path, or - for standard input)');
  }
}

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

export const commands: Record<string, { summary: string; usage: string; run(ctx: CommandContext): Promise<void> }> = {
  publish: {
    summary: 'Publish events',
    usage: 'publish <json | file | -> | publish --type <type> --data <json>',
    async run({ client, out, args, flags }) {
      let input: unknown;
      if (str(flags.type)) input = { type: str(flags.type), data: await readJsonInput(str(flags.data) ?? '{}') };
      else if (args[0]) input = await readJsonInput(args[0]);
      else throw new UsageError('give the event as JSON, a file, - for standard input, or --type and --data');
      const events = (Array.isArray(input) ? input : (input as { events?: unknown[] }).events ?? [input]) as PublishInput[];
      const published = await client.events.publish(events);
      out.result(published, () => published.map((p) => `published ${p.id}  ${p.type}  ${p.created_at}`).join('\n'));
    },
  },
  list: {
    summary: 'List past events (history)',
    usage: 'list [--types session.*] [--since T] [--until T] [--session-id …] [--limit N] [--order asc|desc] [--all]',
    async run({ client, out, flags }) {
      const params = {
        ...(list(flags.types) ? { types: list(flags.types) } : {}),
        ...(str(flags.since) ? { since: str(flags.since) } : {}),
        ...(str(flags.until) ? { until: str(flags.until) } : {}),
        ...(str(flags.limit) ? { limit: Number(flags.limit) } : {}),
        ...(str(flags.order) ? { order: str(flags.order) as 'asc' | 'desc' } : {}),
        ...(str(flags.cursor) ? { cursor: str(flags.cursor) } : {}),
        ...filters(flags),
      };
      if (flags.all) {
        for await (const event of client.events.listAll(params)) out.result(event, () => eventLine(event));
        return;
      }
      const page = await client.events.list(params);
      out.result(page, () => [...page.data.map(eventLine), page.has_more ? `more: --cursor ${page.next_cursor}` : ''].filter(Boolean).join('\n'));
    },
  },
  get: {
    summary: 'Show one event',
    usage: 'get <event id>',
    async run({ client, out, args }) {
      if (!args[0]) throw new UsageError('give an event id');
      const event = await client.events.get(args[0]);
      out.result(event, () => JSON.stringify(event, null, 2));
    },
  },
  tail: {
    summary: 'Follow the live stream',
    usage: 'tail [--events session.*] [--session-id …] [--last-event-id …]',
    async run({ client, out, flags, signal }) {
      const subscription = client.events.subscribe({ ...(list(flags.events) ? { events: list(flags.events) } : {}), ...filters(flags), ...(str(flags['last-event-id']) ? { lastEventId: str(flags['last-event-id']) } : {}), signal });
      for await (const event of subscription) out.result(event, () => eventLine(event));
    },
  },
  replay: {
    summary: 'Replay a time range to a webhook URL, with progress',
    usage: 'replay --since T --until T --webhook-url URL [--types …] [--webhook-id wh_…] [--secret …] [--no-wait]',
    async run({ client, out, flags, signal }) {
      const since = str(flags.since);
      const until = str(flags.until);
      if (!since || !until) throw new UsageError('--since and --until are required');
      const replay = await client.events.replay({
        since, until,
        ...(list(flags.types) ? { types: list(flags.types) } : {}),
        ...(str(flags['webhook-url']) ? { webhook_url: str(flags['webhook-url']) } : {}),
        ...(str(flags['webhook-id']) ? { webhook_id: str(flags['webhook-id']) } : {}),
        ...(str(flags.secret) ? { secret: str(flags.secret) } : {}),
        ...filters(flags),
      });
      if (!out.json) out.line(`replay ${replay.id}: replaying ${replay.event_count} events`);
      if (flags['no-wait']) {
        if (out.json) out.result(replay, () => '');
        return;
      }
      let status = replay;
      while (!['completed', 'failed', 'cancelled'].includes(status.status) && !signal.aborted) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        status = await client.events.getReplayStatus(replay.id);
        if (!out.json && process.stderr.isTTY) process.stderr.write(`\r${progressBar(status.delivered + status.failed, status.total)} ${status.status}   `);
      }
      if (!out.json && process.stderr.isTTY) process.stderr.write('\n');
      out.result(status, () => `replay ${status.id} ${status.status}: ${status.delivered} delivered, ${status.failed} failed of ${status.total}`);
      if (status.status !== 'completed') process.exitCode = 1;
    },
  },
  'webhooks create': {
    summary: 'Create a webhook subscription',
    usage: 'webhooks create --url URL --events a,b [--secret S] [--description D]',
    async run({ client, out, flags }) {
      const url = str(flags.url);
      const events = list(flags.events);
      if (!url || !events) throw new UsageError('--url and --events are required');
      const webhook = await client.webhooks.create({ url, events, ...(str(flags.secret) ? { secret: str(flags.secret) } : {}), ...(str(flags.description) ? { description: str(flags.description) } : {}) });
      out.result(webhook, () => `created ${webhook.id} → ${webhook.url}\nsecret (shown once): ${webhook.secret}`);
    },
  },
  'webhooks list': {
    summary: 'List webhook subscriptions',
    usage: 'webhooks list',
    async run({ client, out }) {
      const page = await client.webhooks.list();
      out.result(page, () => page.data.map((w) => `${w.id}  ${w.enabled ? 'enabled ' : 'disabled'}  ${w.url}  ${w.events.join(',')}`).join('\n') || 'no webhooks');
    },
  },
  'webhooks delete': {
    summary: 'Delete a webhook subscription',
    usage: 'webhooks delete <wh_…>',
    async run({ client, out, args }) {
      if (!args[0]) throw new UsageError('give a webhook id');
      await client.webhooks.delete(args[0]);
      out.result({ id: args[0], deleted: true }, () => `deleted ${args[0]}`);
    },
  },
  'webhooks rotate': {
    summary: "Rotate a webhook's secret",
    usage: 'webhooks rotate <wh_…>',
    async run({ client, out, args }) {
      if (!args[0]) throw new UsageError('give a webhook id');
      const webhook = await client.webhooks.rotateSecret(args[0]);
      out.result(webhook, () => `rotated ${webhook.id}\nnew secret (shown once): ${webhook.secret}`);
    },
  },
  deliveries: {
    summary: "A webhook's delivery attempts",
    usage: 'deliveries <wh_…> [--limit N]',
    async run({ client, out, args, flags }) {
      if (!args[0]) throw new UsageError('give a webhook id');
      const page = await client.webhooks.deliveries(args[0], str(flags.limit) ? { limit: Number(flags.limit) } : {});
      out.result(page, () => page.data.map((d) => `${String(d.attempted_at ?? d.created_at ?? '')}  #${d.attempt}  ${d.status_code ?? '-'}  ${d.duration_ms ?? '-'}ms  ${d.event_id}  ${d.error ?? ''}${d.next_retry_at ? `  next ${d.next_retry_at}` : ''}`).join('\n') || 'no deliveries');
    },
  },
  listen: {
    summary: 'Forward the live stream, signed, to a local URL (like `stripe listen`)',
    usage: 'listen --forward-to URL [--events session.*] [--secret whsec_…]',
    async run({ client, out, flags, signal }) {
      const target = str(flags['forward-to']);
      if (!target) throw new UsageError('--forward-to is required');
      const secret = str(flags.secret) ?? `whsec_${Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64')}`;
      if (!out.json) out.line(`forwarding to ${target}; signing secret: ${secret}`);
      const subscription = client.events.subscribe({ ...(list(flags.events) ? { events: list(flags.events) } : {}), ...filters(flags), signal });
      for await (const event of subscription) {
        const body = JSON.stringify(event);
        const timestamp = Math.floor(Date.now() / 1000);
        const started = performance.now();
        let status: number | string;
        try {
          const response = await fetch(target, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'webhook-id': event.id, 'webhook-timestamp': String(timestamp), 'webhook-signature': await signWebhook(secret, event.id, timestamp, body) },
            body,
            signal: AbortSignal.timeout(10_000),
          });
          await response.arrayBuffer();
          status = response.status;
        } catch (error) {
          status = `error: ${(error as Error).message}`;
        }
        const ms = Math.round(performance.now() - started);
        out.result({ event_id: event.id, type: event.type, status, duration_ms: ms }, () => `${event.type.padEnd(28)} ${event.id} → ${status} (${ms} ms)`);
      }
    },
  },
};
