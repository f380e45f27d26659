import { api } from './client.js';
import type { EventType } from './types.js';

let loaded: Promise<EventType[]> | undefined;

/** The event catalogue (`GET /event-types`), loaded once per page load. */
export function eventTypes(): Promise<EventType[]> {
  loaded ??= api<{ data: EventType[] }>('GET', '/event-types').then(
    (answer) => answer.data,
    (error: unknown) => {
      loaded = undefined;
      throw error;
    },
  );
  return loaded;
}

/** Every pattern a type filter may hold: `*`, each category's `category.*`, each type. */
export function patternsOf(types: readonly EventType[]): string[] {
  const categories = [...new Set(types.map((entry) => entry.category))];
  return ['*', ...categories.map((category) => `${category}.*`), ...types.map((entry) => entry.type)];
}
