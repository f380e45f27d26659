// `rg-events webhooks create|list|get|update|delete|rotate|test` and `rg-events deliveries`.
import type { Delivery, Webhook } from '../sdk/types.js';
import { int, list, str, UsageError, type Command } from './args.js';

const webhookLine = (w: Webhook) =>
  `${w.id}  ${w.enabled ? 'enabled ' : `disabled${w.disabled_reason ? ` (${w.disabled_reason})` : ''}`}  ${w.url}  ${w.events.join(',')}${w.description ? `  "${w.description}"` : ''}`;

const deliveryLine = (d: Delivery) =>
  `${d.attempted_at}  ${d.state.padEnd(9)}  #${d.attempt}  ${String(d.status_code ?? '-').padStart(3)}  ${d.duration_ms ?? '-'} ms  ${d.event_type} ${d.event_id}${d.error ? `  ${d.error}` : ''}${d.next_retry_at ? `  next attempt ${d.next_retry_at}` : ''}`;

function webhookId(args: string[]): string {
  if (!args[0]) throw new UsageError('give a webhook id (wh_…)');
  return args[0];
}

export const webhookCommands: Record<string, Command> = {
  'webhooks create': {
    summary: 'Create a webhook subscription (prints its secret, shown once)',
    usage: 'webhooks create --url URL --events agent.created,session.* [--secret S] [--description D]',
    options: [
      '--url URL          where deliveries are POSTed (https)',
      '--events LIST      comma-separated type patterns',
      '--secret S         signing secret (default: a generated whsec_…)',
      '--description D',
    ],
    async run({ client, out, flags }) {
      const url = str(flags.url);
      const events = list(flags.events);
      if (!url || !events) throw new UsageError('--url and --events are required');
      const webhook = await client.webhooks.create({
        url,
        events,
        ...(str(flags.secret) ? { secret: str(flags.secret) } : {}),
        ...(str(flags.description) ? { description: str(flags.description) } : {}),
      });
      out.result(
        webhook,
        () =>
          `created ${webhook.id} → ${webhook.url} (${webhook.events.join(',')})\nsecret (shown once, keep it to verify deliveries): ${webhook.secret}`,
      );
    },
  },
  'webhooks list': {
    summary: 'List webhook subscriptions',
    usage: 'webhooks list',
    async run({ client, out }) {
      const page = await client.webhooks.list();
      out.result(page, () => page.data.map(webhookLine).join('\n') || 'no webhooks');
    },
  },
  'webhooks get': {
    summary: 'Show one webhook subscription',
    usage: 'webhooks get <wh_…>',
    async run({ client, out, args }) {
      const webhook = await client.webhooks.get(webhookId(args));
      out.result(webhook, () => JSON.stringify(webhook, null, 2));
    },
  },
  'webhooks update': {
    summary: 'Change a webhook subscription',
    usage: 'webhooks update <wh_…> [--url URL] [--events LIST] [--description D] [--enable | --disable]',
    async run({ client, out, args, flags }) {
      const id = webhookId(args);
      if (flags.enable && flags.disable) throw new UsageError('--enable and --disable exclude each other');
      const params = {
        ...(str(flags.url) ? { url: str(flags.url) } : {}),
        ...(list(flags.events) ? { events: list(flags.events) } : {}),
        ...(str(flags.description) !== undefined ? { description: str(flags.description) || null } : {}),
        ...(flags.enable ? { enabled: true } : flags.disable ? { enabled: false } : {}),
      };
      if (Object.keys(params).length === 0)
        throw new UsageError('nothing to change: give --url, --events, --description, --enable or --disable');
      const webhook = await client.webhooks.update(id, params);
      out.result(webhook, () => `updated ${webhookLine(webhook)}`);
    },
  },
  'webhooks delete': {
    summary: 'Delete a webhook subscription',
    usage: 'webhooks delete <wh_…>',
    async run({ client, out, args }) {
      const id = webhookId(args);
      await client.webhooks.delete(id);
      out.result({ id, deleted: true }, () => `deleted ${id}`);
    },
  },
  'webhooks rotate': {
    summary: "Rotate a webhook's signing secret (the old one keeps signing for a grace period)",
    usage: 'webhooks rotate <wh_…> [--secret S]',
    async run({ client, out, args, flags }) {
      const webhook = await client.webhooks.rotateSecret(
        webhookId(args),
        str(flags.secret) ? { secret: str(flags.secret) } : {},
      );
      out.result(
        webhook,
        () =>
          `rotated ${webhook.id}\nnew secret (shown once): ${webhook.secret}${webhook.previous_secret_expires_at ? `\nthe previous secret keeps signing until ${webhook.previous_secret_expires_at}` : ''}`,
      );
    },
  },
  'webhooks test': {
    summary: 'Send one signed test delivery to a webhook now',
    usage: 'webhooks test <wh_…>',
    async run({ client, out, args }) {
      const result = await client.webhooks.test(webhookId(args));
      out.result(result, () =>
        result.delivered
          ? `delivered: HTTP ${result.status_code} in ${result.duration_ms} ms`
          : `not delivered: ${result.error ?? `HTTP ${result.status_code}`}`,
      );
      if (!result.delivered) process.exitCode = 1;
    },
  },
  deliveries: {
    summary: "A webhook's delivery attempts, newest first",
    usage: 'deliveries <wh_…> [--limit N] [--event-id evt_…] [--cursor C]',
    async run({ client, out, args, flags }) {
      const limit = int(flags, 'limit');
      const page = await client.webhooks.deliveries(webhookId(args), {
        ...(limit !== undefined ? { limit } : {}),
        ...(str(flags['event-id']) ? { event_id: str(flags['event-id']) } : {}),
        ...(str(flags.cursor) ? { cursor: str(flags.cursor) } : {}),
      });
      out.result(
        page,
        () =>
          [...page.data.map(deliveryLine), page.has_more ? `more: --cursor ${page.next_cursor}` : '']
            .filter(Boolean)
            .join('\n') || 'no deliveries yet',
      );
    },
  },
};
