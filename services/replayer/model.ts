import { positionKey, type OffsetRange } from '../../core/kafka/scan-ranges.js';

/** A replay as stored in the `replays.state` compacted topic (keyed by replay id). */
export interface ReplayState {
  id: string;
  organization_id: string;
  status: ReplayStatus;
  since: string;
  until: string;
  /** Type patterns as requested (`*` when none). */
  types: string[];
  /** Resource filters: agent_id, session_id, team_id, user_id. */
  filters: Record<string, string>;
  target: { url: string; webhook_id: string | null };
  /** Signing secrets (the webhook's active ones, or the one given); never returned by the API. */
  secrets: string[];
  /** The exact records considered, frozen at creation: [start, end) of each partition. */
  ranges: ReplayRange[];
  /** Next offset to deliver per `topic:partition` (the checkpoint). */
  positions: Record<string, string>;
  /** Events that will be delivered (matching, once per id); null until counted. */
  total: number | null;
  delivered: number;
  failed: number;
  /** Records read by the delivery pass, matching or not. */
  scanned: number;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  updated_at: string;
  error: string | null;
  /** Set by a cancel request; the worker stops at the next record. */
  cancel_requested: boolean;
  /**
   * The worker pool (replay consumer group) that runs it: the API's `RG_REPLAY_GROUP`. Workers
   * of another pool leave it alone, so separate deployments (or test runs) can share the topic.
   * Absent on replays stored before pools existed: those belong to the default pool.
   */
  worker_group?: string;
}

/** The pool a stored replay belongs to. */
export const workerGroupOf = (state: Pick<ReplayState, 'worker_group'>, defaultGroup: string) =>
  state.worker_group ?? defaultGroup;

/** The exact records a replay considers: [start, end) of one partition. */
export type ReplayRange = OffsetRange;

export type ReplayStatus = 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';

export const TERMINAL: readonly ReplayStatus[] = ['completed', 'failed', 'cancelled'];

export const REPLAY_STATE_TOPIC = 'replays.state';

export { positionKey };

/** The replay as the API shows it: no secrets, with progress figures. */
export function publicReplay(state: ReplayState) {
  const processed = state.delivered + state.failed;
  const startedMs = state.started_at ? Date.parse(state.started_at) : undefined;
  const elapsedMs =
    startedMs !== undefined ? (state.finished_at ? Date.parse(state.finished_at) : Date.now()) - startedMs : 0;
  const rate = elapsedMs > 0 ? processed / (elapsedMs / 1000) : 0;
  const remaining = state.total === null ? null : Math.max(0, state.total - processed);
  return {
    id: state.id,
    object: 'replay',
    status: state.status,
    since: state.since,
    until: state.until,
    types: state.types,
    filters: state.filters,
    webhook_url: state.target.url,
    webhook_id: state.target.webhook_id,
    event_count: state.total,
    total: state.total,
    delivered: state.delivered,
    failed: state.failed,
    scanned: state.scanned,
    partitions: state.ranges.map((range) => ({
      topic: range.topic,
      partition: range.partition,
      start_offset: range.start,
      end_offset: range.end,
      position: state.positions[positionKey(range.topic, range.partition)] ?? range.start,
    })),
    created_at: state.created_at,
    started_at: state.started_at,
    finished_at: state.finished_at,
    estimated_seconds_remaining:
      remaining === null || rate === 0 || state.finished_at ? null : Math.ceil(remaining / rate),
    error: state.error,
  };
}
