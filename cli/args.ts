// What every command shares: the context it runs in and the readers of its flags.
import type { Client } from '../sdk/client.js';
import type { Output } from './output.js';

export interface CommandContext {
  client: Client;
  out: Output;
  /** Positional arguments after the command words. */
  args: string[];
  /** Parsed flags. */
  flags: Record<string, string | boolean | string[] | undefined>;
  /** Aborted on SIGINT/SIGTERM: long-running commands (tail, listen, replay) end cleanly. */
  signal: AbortSignal;
}

export interface Command {
  /** One line for the command list. */
  summary: string;
  /** `rg-events <usage>`. */
  usage: string;
  /** Lines explaining the options, shown by `--help`. */
  options?: string[];
  run(ctx: CommandContext): Promise<void>;
}

/** A mistake in the command line: exit code 2, with the command's usage. */
export class UsageError extends Error {}

export const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
export const list = (value: unknown): string[] | undefined =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : undefined;

/** A whole number flag, or a usage error naming it. */
export function int(flags: CommandContext['flags'], name: string): number | undefined {
  const text = str(flags[name]);
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) throw new UsageError(`--${name} must be a whole number`);
  return Number(text);
}

/** The resource filters shared by list, tail, listen and replay. */
export const filters = (flags: CommandContext['flags']) => ({
  ...(str(flags['session-id']) ? { session_id: str(flags['session-id']) } : {}),
  ...(str(flags['agent-id']) ? { agent_id: str(flags['agent-id']) } : {}),
  ...(str(flags['team-id']) ? { team_id: str(flags['team-id']) } : {}),
  ...(str(flags['user-id']) ? { user_id: str(flags['user-id']) } : {}),
});

export const FILTER_OPTIONS = [
  '--session-id ID, --agent-id ID, --team-id ID, --user-id ID   only events of that resource',
];
