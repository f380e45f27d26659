import type { Consumer, Kafka, Producer } from 'kafkajs';
import type { EventCodec } from '../../core/events/codec.js';
import type { EventCatalog } from '../../core/events/catalog.js';
import { resolveTypeFilter } from '../../core/events/type-filter.js';
import type { Logger } from '../../core/log/logger.js';
import { errorMessage } from '../../core/errors/index.js';
import type { Send } from '../../core/webhooks/retry.js';
import { REPLAY_STATE_TOPIC, TERMINAL, workerGroupOf, type ReplayState } from './model.js';
import { runReplay } from './run-replay.js';

export interface ReplayRunnerOptions {
  kafka: Kafka;
  codec: EventCodec;
  catalog: EventCatalog;
  logger: Logger;
  send: Send;
  retryScheduleMs: readonly number[];
  /** Consumer group of the replay workers; replays are split among its members. */
  groupId: string;
  /** The pool of replays stored without one (`RG_REPLAY_GROUP`'s default). */
  defaultGroupId: string;
  /** Replays run at once by this process. */
  maxRunning: number;
  concurrency: number;
  maxRatePerSecond: number;
  checkpointIntervalMs: number;
}

/**
 * Owns the replays of the `replays.state` partitions this process is assigned (a consumer group
 * splits them among workers), rebuilds their latest state from the compacted topic, and runs the
 * unfinished ones, at most `maxRunning` at once. A replay whose partition moves to another worker
 * stops here at its checkpoint and resumes there.
 */
export function createReplayRunner(options: ReplayRunnerOptions) {
  const { kafka, logger } = options;
  const latest = new Map<string, ReplayState>();
  const cancelRequested = new Set<string>();
  const running = new Map<string, { abort: AbortController; done: Promise<void>; partition: number }>();
  const partitionOf = new Map<string, number>();
  let owned = new Set<number>();
  /** Owned partitions read to their end since they were assigned. */
  const caughtUp = new Set<number>();
  let consumer: Consumer | undefined;
  let producer: Producer | undefined;
  let stopping = false;

  // A cancel request is a write of the replay with `cancel_requested`; once seen it sticks, so a
  // checkpoint written at the same moment cannot undo it.
  async function save(state: ReplayState): Promise<void> {
    const value: ReplayState = { ...state, cancel_requested: state.cancel_requested || cancelRequested.has(state.id) };
    await producer!.send({
      topic: REPLAY_STATE_TOPIC,
      acks: -1,
      messages: [{ key: state.id, value: JSON.stringify(value) }],
    });
  }

  function current(id: string): ReplayState | undefined {
    const state = latest.get(id);
    return state && cancelRequested.has(id) ? { ...state, cancel_requested: true } : state;
  }

  function apply(partition: number, key: string | undefined, value: Buffer | null): void {
    if (!key) return;
    if (!value) {
      latest.delete(key);
      return;
    }
    const state = JSON.parse(value.toString()) as ReplayState;
    if (workerGroupOf(state, options.defaultGroupId) !== options.groupId) return;
    // Terminal is final: a checkpoint written before the end and read after it changes nothing.
    const known = latest.get(key);
    if (known && TERMINAL.includes(known.status)) return;
    if (state.cancel_requested) cancelRequested.add(key);
    partitionOf.set(key, partition);
    // A running replay's own checkpoints come back here: keep its newer in-memory view.
    if (!running.has(key) || TERMINAL.includes(state.status)) latest.set(key, state);
    else latest.set(key, { ...latest.get(key)!, ...state });
  }

  function schedule(): void {
    if (stopping) return;
    // Newest first: a replay just asked for is not kept waiting behind old resumed ones.
    const candidates = [...latest.values()]
      .filter((state) => !TERMINAL.includes(state.status) && !running.has(state.id))
      .sort((a, b) => b.created_at.localeCompare(a.created_at));
    for (const state of candidates) {
      if (running.size >= options.maxRunning) return;
      const partition = partitionOf.get(state.id) ?? -1;
      if (TERMINAL.includes(state.status) || running.has(state.id) || !owned.has(partition) || !caughtUp.has(partition))
        continue;
      if (cancelRequested.has(state.id) && state.status === 'pending') {
        void save({
          ...state,
          status: 'cancelled',
          finished_at: new Date().toISOString(),
          updated_at: new Date().toISOString(),
        });
        continue;
      }
      start(state);
    }
  }

  function start(state: ReplayState): void {
    const abort = new AbortController();
    const filter = resolveTypeFilter(options.catalog, state.types).filter;
    const types = filter && !filter.all ? filter.types : undefined;
    const done = runReplay(state, types, {
      kafka,
      codec: options.codec,
      logger,
      send: options.send,
      retryScheduleMs: options.retryScheduleMs,
      concurrency: options.concurrency,
      maxRatePerSecond: options.maxRatePerSecond,
      checkpointIntervalMs: options.checkpointIntervalMs,
      save,
      current: () => current(state.id),
      signal: abort.signal,
    })
      .then(
        // Its final state is known here before it is read back: remember it, so that an older
        // checkpoint read meanwhile does not start the replay again.
        (final) => {
          if (TERMINAL.includes(final.status)) latest.set(state.id, final);
        },
        (error) => logger.error('replay crashed', { replay_id: state.id, error: errorMessage(error) }),
      )
      .finally(() => {
        running.delete(state.id);
        schedule();
      });
    running.set(state.id, { abort, done, partition: partitionOf.get(state.id)! });
  }

  return {
    async start() {
      producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        retry: { retries: Number.MAX_SAFE_INTEGER },
      });
      await producer.connect();
      // A short session: a worker that died hands its replays over within seconds.
      consumer = kafka.consumer({
        groupId: options.groupId,
        maxWaitTimeInMs: 250,
        sessionTimeout: 10_000,
        heartbeatInterval: 1000,
      });
      await consumer.connect();
      await consumer.subscribe({ topic: REPLAY_STATE_TOPIC, fromBeginning: true });
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        const assigned = new Set<number>(payload.memberAssignment[REPLAY_STATE_TOPIC] ?? []);
        // Stop what moved away; rebuild what arrived by reading it from the start.
        for (const run of running.values()) if (!assigned.has(run.partition)) run.abort.abort();
        for (const partition of assigned) {
          if (owned.has(partition)) continue;
          caughtUp.delete(partition);
          consumer!.seek({ topic: REPLAY_STATE_TOPIC, partition, offset: '0' });
        }
        owned = assigned;
      });
      await consumer.run({
        autoCommit: false,
        eachBatch: async ({ batch }) => {
          for (const message of batch.messages) apply(batch.partition, message.key?.toString(), message.value);
          // A replay resumes from its latest checkpoint, so nothing of a partition runs before the
          // partition has been read to its end: its first records are the replay's older states.
          const next = BigInt(batch.messages[batch.messages.length - 1]?.offset ?? '-1') + 1n;
          if (next >= BigInt(batch.highWatermark)) caughtUp.add(batch.partition);
          schedule();
        },
      });
    },
    async stop() {
      stopping = true;
      for (const run of running.values()) run.abort.abort();
      await Promise.all([...running.values()].map((run) => run.done));
      await consumer?.disconnect().catch(() => undefined);
      await producer?.disconnect().catch(() => undefined);
    },
  };
}
