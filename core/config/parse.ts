import { ConfigError } from '../errors/index.js';

/** Raw environment: a map of variable names to strings (process.env, or a test's object). */
export type Environment = Readonly<Record<string, string | undefined>>;

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses `250ms`, `5s`, `30m`, `2h`, `7d` (or a bare number of milliseconds) to milliseconds. */
export function parseDurationMs(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * DURATION_UNITS_MS[match[2] ?? 'ms']!;
  return Number.isFinite(value) ? Math.round(value) : undefined;
}

/** Reads typed values from an environment, naming the variable in every error. */
export function createEnvReader(env: Environment) {
  const raw = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  };

  return {
    string(name: string, fallback: string): string {
      return raw(name) ?? fallback;
    },
    optionalString(name: string): string | undefined {
      return raw(name);
    },
    integer(name: string, fallback: number, { min = -Infinity, max = Infinity } = {}): number {
      const text = raw(name);
      if (text === undefined) return fallback;
      if (!/^-?\d+$/.test(text)) throw new ConfigError(name, `expected a whole number, got "${text}"`);
      const value = Number(text);
      if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
      return value;
    },
    boolean(name: string, fallback: boolean): boolean {
      const text = raw(name)?.toLowerCase();
      if (text === undefined) return fallback;
      if (['true', '1', 'yes', 'on'].includes(text)) return true;
      if (['false', '0', 'no', 'off'].includes(text)) return false;
      throw new ConfigError(name, `expected true or false, got "${text}"`);
    },
    durationMs(name: string, fallback: string, { minMs = 0, maxMs = Infinity } = {}): number {
      const text = raw(name) ?? fallback;
      const value = parseDurationMs(text);
      if (value === undefined)
        throw new ConfigError(name, `expected a duration such as 500ms, 5s, 30m, 2h or 7d, got "${text}"`);
      if (value < minMs || value > maxMs)
        throw new ConfigError(name, `must be between ${minMs} ms and ${maxMs} ms, got "${text}"`);
      return value;
    },
    durationListMs(name: string, fallback: string): number[] {
      const text = raw(name) ?? fallback;
      const items = text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
      if (items.length === 0) throw new ConfigError(name, 'expected at least one duration');
      return items.map((item) => {
        const value = parseDurationMs(item);
        if (value === undefined) throw new ConfigError(name, `"${item}" is not a duration such as 5s, 30m or 2h`);
        return value;
      });
    },
    url(name: string, fallback: string, protocols: string[] = ['http:', 'https:']): string {
      const text = raw(name) ?? fallback;
      let parsed: URL;
      try {
        parsed = new URL(text);
      } catch {
        throw new ConfigError(name, `expected a URL, got "${text}"`);
      }
      if (!protocols.includes(parsed.protocol))
        throw new ConfigError(name, `expected a ${protocols.join(' or ')} URL, got "${text}"`);
      return text.replace(/\/+$/, '');
    },
    list(name: string, fallback: string): string[] {
      return (raw(name) ?? fallback)
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean);
    },
    oneOf<T extends string>(name: string, fallback: T, allowed: readonly T[]): T {
      const text = raw(name) ?? fallback;
      if (!(allowed as readonly string[]).includes(text))
        throw new ConfigError(name, `expected one of ${allowed.join(', ')}, got "${text}"`);
      return text as T;
    },
  };
}

export type EnvReader = ReturnType<typeof createEnvReader>;

/** Freezes an object and every object inside it. */
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
