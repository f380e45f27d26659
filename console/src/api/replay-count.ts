import { api } from './client.js';
import { apiFeatures } from './features.js';
import type { Replay } from './types.js';

/**
 * How many events a replay request would deliver, before it starts: the replay dry run
 * (`"dry_run": true`), when the API has it; undefined otherwise, and the count then comes with the
 * replay's creation (`event_count`).
 */
export async function countReplayRange(request: Record<string, unknown>): Promise<number | undefined> {
  if (!(await apiFeatures()).replayDryRun) return undefined;
  const answer = await api<Replay>('POST', '/events/replay', { body: { ...request, dry_run: true } });
  return answer.event_count ?? undefined;
}
