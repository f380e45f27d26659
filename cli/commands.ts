import { readFile } from 'node:fs/promises';
import type { PublishInput, Replay } from '../sdk/types.js';
import { FILTER_OPTIONS, filters, int, list, str, UsageError, type Command } from './args.js';
import { eventLine, progressBar } from './output.js';
import { streamCommands } from './stream-commands.js';
import { webhookCommands } from './webhook-commands.js';

export { UsageError, type CommandContext } from './args.js';

async function readJsonInput(source: string): Promise<unknown> {
  const inline = source.trim().startsWith('{') || source.trim().startsWith('[');
  const text =
    source === '-'
      ? await readStdin()
      : inline
        ? source
        : await readFile(source, 'utf8').catch(() => {
            throw new UsageError(
              `cannot read ${source}: give the event as inline JSON, a readable file, or - for standard input`,
            );
          });
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

const TERMINAL = ['completed', 'failed', 'cancelled'];

const eventCommands: Record<string, Command> = {
  publish: {
    summary: 'Publish events',
    usage: 'publish <json | file | -> | publish --type <type> --data <json>',
    options: [
      '<json | file | ->     one event, an array, or {"events": [...]}, inline, from a file, or from standard input',
      '--type T --data JSON  one event of type T',
    ],
    async run({ client, out, args, flags }) {
      let input: unknown;
      if (str(flags.type)) input = { type: str(flags.type), data: await readJsonInput(str(flags.data) ?? '{}') };
      else if (args[0]) input = await readJsonInput(args[0]);
      else throw new UsageError('give the event as JSON, a file, - for standard input, or --type and --data');
      const events = (
        Array.isArray(input) ? input : ((input as { events?: unknown[] }).events ?? [input])
      ) as PublishInput[];
      const published = await client.events.publish(events);
      out.result(published, () => published.map((p) => `published ${p.id}  ${p.type}  ${p.created_at}`).join('\n'));
    },
  },
  list: {
    summary: 'List past events (history)',
    usage:
      'list [--types session.*] [--since T] [--until T] [--session-id …] [--limit N] [--order asc|desc] [--cursor C] [--all]',
    options: [
      '--types LIST     type patterns (session.*,agent.created)',
      '--since T        inclusive (RFC 3339)',
      '--until T        exclusive',
      ...FILTER_OPTIONS,
      '--limit N        1–1000 per page (default 100)',
      '--order asc|desc default desc',
      '--all            every page (one line, or one JSON line, per event)',
    ],
    async run({ client, out, flags }) {
      const limit = int(flags, 'limit');
      const order = str(flags.order);
      if (order !== undefined && order !== 'asc' && order !== 'desc') throw new UsageError('--order is asc or desc');
      const params = {
        ...(list(flags.types) ? { types: list(flags.types) } : {}),
        ...(str(flags.since) ? { since: str(flags.since) } : {}),
        ...(str(flags.until) ? { until: str(flags.until) } : {}),
        ...(limit !== undefined ? { limit } : {}),
        ...(order ? { order: order as 'asc' | 'desc' } : {}),
        ...filters(flags),
      };
      if (flags.all) {
        for await (const event of client.events.listAll(params)) out.result(event, () => eventLine(event));
        return;
      }
      const page = await client.events.list({ ...params, ...(str(flags.cursor) ? { cursor: str(flags.cursor) } : {}) });
      out.result(
        page,
        () =>
          [...page.data.map(eventLine), page.has_more ? `more: --cursor ${page.next_cursor}` : '']
            .filter(Boolean)
            .join('\n') || 'no events',
      );
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
  replay: {
    summary: 'Replay a time range to a webhook URL, with a progress bar until it finishes',
    usage: 'replay --since T --until T (--webhook-url URL [--secret S] | --webhook-id wh_…) [--types …] [--no-wait]',
    options: [
      '--since T, --until T   the range (inclusive, exclusive; RFC 3339)',
      '--webhook-url URL      where to deliver (--secret to sign, unless it is one of your webhooks)',
      '--webhook-id wh_…      or one of your webhooks',
      '--types LIST',
      ...FILTER_OPTIONS,
      '--no-wait              print the replay and return at once',
      'Exit code 1 when the replay ends failed or cancelled.',
    ],
    async run({ client, out, flags, signal }) {
      const since = str(flags.since);
      const until = str(flags.until);
      if (!since || !until) throw new UsageError('--since and --until are required');
      if (!str(flags['webhook-url']) && !str(flags['webhook-id']))
        throw new UsageError('--webhook-url or --webhook-id is required');
      const replay = await client.events.replay({
        since,
        until,
        ...(list(flags.types) ? { types: list(flags.types) } : {}),
        ...(str(flags['webhook-url']) ? { webhook_url: str(flags['webhook-url']) } : {}),
        ...(str(flags['webhook-id']) ? { webhook_id: str(flags['webhook-id']) } : {}),
        ...(str(flags.secret) ? { secret: str(flags.secret) } : {}),
        ...filters(flags),
      });
      out.info(`replay ${replay.id}: replaying ${replay.event_count ?? 'an uncounted number of'} events`);
      if (flags['no-wait']) {
        out.result(replay, () => `replay ${replay.id} ${replay.status}`);
        return;
      }
      const status = await followReplay(replay, (id) => client.events.getReplayStatus(id), out.progress, signal);
      out.result(
        status,
        () =>
          `replay ${status.id} ${status.status}: ${status.delivered} delivered, ${status.failed} failed of ${status.total ?? '?'}`,
      );
      if (status.status !== 'completed') process.exitCode = 1;
    },
  },
};

/** Polls a replay until it ends (or `signal` aborts), showing the bar after each poll. */
async function followReplay(
  replay: Replay,
  get: (id: string) => Promise<Replay>,
  show: (text: string, done: boolean) => void,
  signal: AbortSignal,
): Promise<Replay> {
  let status = replay;
  const bar = (r: Replay) => `${progressBar(r.delivered + r.failed, r.total ?? 0)} ${r.status}`;
  show(bar(status), TERMINAL.includes(status.status));
  while (!TERMINAL.includes(status.status) && !signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    status = await get(replay.id);
    show(bar(status), TERMINAL.includes(status.status));
  }
  return status;
}

/** Every command, by the words that name it (`webhooks create` is two words). */
export const commands: Record<string, Command> = { ...eventCommands, ...streamCommands, ...webhookCommands };
