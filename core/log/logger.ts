import type { LogLevel } from '../config/index.js';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
  /** A logger whose lines all carry `fields` (e.g. `{ service: 'sink' }`). */
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Lowest level written. Default `info`. */
  level?: LogLevel;
  /** Fields on every line. */
  base?: LogFields;
  /** Where lines go. Default: stdout. */
  write?: (line: string) => void;
}

// Never let a secret reach a log line, whatever a caller passes in.
const SECRET_KEYS = /secret|password|authorization|api_?key|token/i;

function serialize(value: unknown): unknown {
  if (value instanceof Error) {
    const out: LogFields = { name: value.name, message: value.message };
    const code = (value as { code?: unknown }).code;
    if (code !== undefined) out.code = code;
    if (value.cause !== undefined) out.cause = serialize(value.cause);
    return out;
  }
  return value;
}

/** Structured logs: one JSON object a line, with `time`, `level` and `msg`. */
export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LEVEL_RANK[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const base = options.base ?? {};

  const emit = (level: Exclude<LogLevel, 'silent'>, msg: string, fields?: LogFields) => {
    if (LEVEL_RANK[level] < threshold) return;
    const line: LogFields = { time: new Date().toISOString(), level, msg, ...base };
    if (fields) {
      for (const [key, value] of Object.entries(fields)) {
        line[key] = SECRET_KEYS.test(key) ? '[redacted]' : serialize(value);
      }
    }
    write(JSON.stringify(line));
  };

  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger({ ...options, base: { ...base, ...fields } }),
  };
}

/** A logger that writes nothing (tests, benchmarks). */
export const silentLogger: Logger = createLogger({ level: 'silent' });
