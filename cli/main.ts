#!/usr/bin/env node
// rg-events: the command-line tool of the events API.
//   rg-events <command> [options]      rg-events --help      rg-events <command> --help
// Exit codes: 0 done, 1 the API refused (or a replay did not complete, a test delivery failed),
// 2 usage error, 3 the API could not be reached.
import { parseArgs } from 'node:util';
import { createClient } from '../sdk/client.js';
import { ApiError, ConnectionError } from '../sdk/errors.js';
import type { Command } from './args.js';
import { commands, UsageError } from './commands.js';
import { createOutput } from './output.js';

const list = (prefix = '') =>
  Object.entries(commands)
    .filter(([name]) => name.startsWith(prefix))
    .map(([name, c]) => `  ${name.padEnd(18)} ${c.summary}`)
    .join('\n');

const GLOBAL_OPTIONS = `Global options:
  --api-key KEY        API key (or RG_API_KEY)
  --base-url URL       API base URL, without /api/v1 (or RG_API_URL; default http://127.0.0.1:8080)
  --organization ORG   organization to act on, for admin keys (or RG_ORGANIZATION_ID)
  --json               machine-readable output (one JSON document, or one JSON line per event)
  -h, --help           help (also after a command)

Exit codes: 0 done, 1 the API refused (or a replay did not complete), 2 usage error, 3 the API
could not be reached.
`;

const GLOBAL_HELP = `rg-events — publish, query, stream, deliver and replay platform events

Usage: rg-events <command> [options]

Commands:
${list()}

${GLOBAL_OPTIONS}`;

const commandHelp = (command: Command) =>
  `${command.summary}\n\nUsage: rg-events ${command.usage}\n${command.options?.length ? `\nOptions:\n${command.options.map((o) => `  ${o}`).join('\n')}\n` : ''}\n${GLOBAL_OPTIONS}`;

const FLAGS = {
  'api-key': { type: 'string' },
  'base-url': { type: 'string' },
  organization: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  type: { type: 'string' },
  data: { type: 'string' },
  types: { type: 'string' },
  events: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  limit: { type: 'string' },
  order: { type: 'string' },
  cursor: { type: 'string' },
  all: { type: 'boolean' },
  'session-id': { type: 'string' },
  'agent-id': { type: 'string' },
  'team-id': { type: 'string' },
  'user-id': { type: 'string' },
  'last-event-id': { type: 'string' },
  'webhook-url': { type: 'string' },
  'webhook-id': { type: 'string' },
  secret: { type: 'string' },
  'no-wait': { type: 'boolean' },
  url: { type: 'string' },
  description: { type: 'string' },
  'forward-to': { type: 'string' },
  enable: { type: 'boolean' },
  disable: { type: 'boolean' },
  'event-id': { type: 'string' },
} as const;

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof FLAGS; allowPositionals: true; strict: true }>
  >;
  try {
    parsed = parseArgs({ args: argv, options: FLAGS, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n(rg-events --help lists the commands and options)\n`);
    return 2;
  }
  const { values: flags, positionals } = parsed;
  const two = `${positionals[0] ?? ''} ${positionals[1] ?? ''}`;
  const name = commands[two] ? two : positionals[0];
  const command = name ? commands[name] : undefined;
  if (!command) {
    // `rg-events webhooks` (or `webhooks --help`, or an unknown subcommand): the group's commands.
    if (name === 'webhooks') {
      process.stdout.write(
        `Usage: rg-events webhooks <command> [options]\n\nCommands:\n${list('webhooks ')}\n\nrg-events webhooks <command> --help for its options.\n`,
      );
      return flags.help || !positionals[1] ? 0 : 2;
    }
    if (name) process.stderr.write(`unknown command: ${name}\n\n`);
    (name ? process.stderr : process.stdout).write(GLOBAL_HELP);
    return flags.help || !name ? 0 : 2;
  }
  if (flags.help) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  const apiKey = flags['api-key'] ?? env.RG_API_KEY;
  if (!apiKey) {
    process.stderr.write('an API key is needed: --api-key or RG_API_KEY\n');
    return 2;
  }
  const organizationId = flags.organization ?? env.RG_ORGANIZATION_ID;
  const client = createClient({
    apiKey,
    baseUrl: flags['base-url'] ?? env.RG_API_URL ?? 'http://127.0.0.1:8080',
    ...(organizationId ? { organizationId } : {}),
  });
  const out = createOutput(Boolean(flags.json));
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  process.once('SIGTERM', () => controller.abort());
  try {
    await command.run({
      client,
      out,
      args: positionals.slice(name!.split(' ').length),
      flags,
      signal: controller.signal,
    });
    return Number(process.exitCode ?? 0);
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(`${error.message}\nusage: rg-events ${command.usage}`);
      return 2;
    }
    if (error instanceof ApiError) {
      out.error(
        flags.json
          ? JSON.stringify({
              error: { code: error.code, message: error.message, details: error.details, status: error.status },
            })
          : `error ${error.status} ${error.code}: ${error.message}${error.details.map((d) => `\n  ${d.field}: ${d.message}`).join('')}`,
      );
      return 1;
    }
    if (error instanceof ConnectionError) {
      out.error(`cannot reach the API: ${error.message}`);
      return 3;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2), process.env);
