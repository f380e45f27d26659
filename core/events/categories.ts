/** The seven event categories of the guide; each has its own Kafka topic `events.<category>`. */
export const EVENT_CATEGORIES = ['agent', 'session', 'team', 'webhook', 'user', 'billing', 'system'] as const;

export type EventCategory = (typeof EVENT_CATEGORIES)[number];

export const EVENT_TOPIC_PREFIX = 'events.';

export function topicForCategory(category: EventCategory): string {
  return EVENT_TOPIC_PREFIX + category;
}

export function isEventCategory(value: string): value is EventCategory {
  return (EVENT_CATEGORIES as readonly string[]).includes(value);
}

/** `session.step.completed` → `session`; undefined when the prefix is not a category. */
export function categoryOfType(type: string): EventCategory | undefined {
  const category = type.split('.', 1)[0] ?? '';
  return isEventCategory(category) ? category : undefined;
}
