import type { PlatformEvent } from './model.js';

/** The resource filters every read path offers (history, the live stream, replays), most selective first. */
export const RESOURCE_FILTERS = ['session_id', 'agent_id', 'team_id', 'user_id'] as const;
export type ResourceFilter = (typeof RESOURCE_FILTERS)[number];
export type ResourceValues = Partial<Record<ResourceFilter, string>>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

/**
 * The resource ids an event names, one rule for every read path: the `data` field of that name;
 * for `user_id`, the user the event is about, else the user who caused it (`metadata.user_id`).
 */
export function resourcesOf(event: PlatformEvent): ResourceValues {
  const values: ResourceValues = {};
  const session = text(event.data.session_id);
  const agent = text(event.data.agent_id);
  const team = text(event.data.team_id);
  const user = text(event.data.user_id) ?? text(event.metadata.user_id);
  if (session) values.session_id = session;
  if (agent) values.agent_id = agent;
  if (team) values.team_id = team;
  if (user) values.user_id = user;
  return values;
}
