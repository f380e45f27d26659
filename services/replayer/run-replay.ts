import type { Kafka, KafkaMessage } from 'kafkajs';
import type { EventCodec } from '../../core/events/codec.js';
import type { PlatformEvent } from '../../core/events/model.js';
import { resourcesOf, type ResourceFilter } from '../../core/events/resources.js';
import { EVENT_HEADERS } from '../../core/producer/producer.js';
import type { Logger } from '../../core/log/logger.js';
import { errorMessage } from '../../core/errors/index.js';
import { sendWithRetries, type Send } from '../../core/webhooks/retry.js';
import { positionKey, type ReplayState } from './model.js';
import { scanRanges } from '../../core/kafka/scan-ranges.js';
import { signatureHeaders } from '../../core/webhooks/signature.js';

export interface RunReplayOptions {
  kafka: Kafka;
  codec: EventCodec;
  logger: Logger;
  send: Send;
  /** Delays between attempts of one delivery, in ms. */
  retryScheduleMs: readonly number[];
  /** Partitions delivered at once (order is kept within each). */
  concurrency: number;
  /** Most deliveries per second for this replay; 0 for no limit. */
  maxRatePerSecond: number;
  /** How often progress is saved, in ms. */
  checkpointIntervalMs: number;
  /** Saves the replay's state (durably). */
  save: (state: ReplayState) => Promise<void>;
  /** The latest stored state, to notice a cancel request. */
  current: () => ReplayState | undefined;
  /** Aborted on shutdown or when this process loses the replay. */
  signal: AbortSignal;
}

const header = (message: KafkaMessage, name: string) => message.headers?.[name]?.toString();

/** Whether a record belongs to the replay: organization and type from headers, resources from data. */
function matcher(state: ReplayState, types: ReadonlySet<string> | undefined) {
  const filters = Object.entries(state.filters) as [ResourceFilter, string][];
  // Most records of a range are other organizations': compare bytes, decode no string.
  const organization = Buffer.from(state.organization_id);
  return {
    cheap: (message: KafkaMessage) => {
      const value = message.headers?.[EVENT_HEADERS.organization];
      return (
        Buffer.isBuffer(value) &&
        value.equals(organization) &&
        (!types || types.has(header(message, EVENT_HEADERS.type) ?? ''))
      );
    },
    // History's rule for resource ids (`user_id`: the data's, else the metadata's).
    full: (event: PlatformEvent) => {
      if (filters.length === 0) return true;
      const resources = resourcesOf(event);
      return filters.every(([field, value]) => resources[field] === value);
    },
  };
}

/**
 * Runs one replay to its end: counts what it will deliver (once, when not yet counted), then reads
 * its frozen offset ranges from the checkpoint, delivering each matching event once, in order per
 * partition, with the webhook retry policy. Progress is saved every `checkpointIntervalMs`; after
 * a restart it resumes from the last checkpoint (what was delivered after it may be sent again,
 * with the same `webhook-id`).
 */
export async function runReplay(
  initial: ReplayState,
  types: ReadonlySet<string> | undefined,
  options: RunReplayOptions,
): Promise<ReplayState> {
  const { kafka, codec, logger, signal } = options;
  let state: ReplayState = { ...initial, positions: { ...initial.positions } };
  const match = matcher(state, types);
  const log = logger.child({ replay_id: state.id });
  const groupIdPrefix = `rg-replay-${state.id}`;
  const cancelled = () => options.current()?.cancel_requested === true;

  // Ids seen in the range, so that an event published twice is delivered (and counted) once.
  async function collectIds(
    positions: Record<string, string> | undefined,
    upTo: 'end' | 'checkpoint',
  ): Promise<Set<string>> {
    const seen = new Set<string>();
    const ranges =
      upTo === 'end'
        ? state.ranges
        : state.ranges.map((r) => ({ ...r, end: state.positions[positionKey(r.topic, r.partition)] ?? r.start }));
    await scanRanges({
      kafka,
      ranges,
      ...(positions ? { positions } : {}),
      groupIdPrefix: `${groupIdPrefix}-scan`,
      signal,
      onRecord: async ({ message }) => {
        if (!match.cheap(message) || !message.value) return;
        const id = header(message, EVENT_HEADERS.id);
        if (id && seen.has(id)) return;
        if (Object.keys(state.filters).length === 0) {
          if (id) seen.add(id);
          return;
        }
        const event = await codec.decode(message.value);
        if (match.full(event)) seen.add(event.id);
      },
    });
    return seen;
  }

  let lastSave = Date.now();
  let saving: Promise<void> = Promise.resolve();
  // Saves go one after another, so a later snapshot never lands before an earlier one.
  const checkpoint = () => {
    lastSave = Date.now();
    const snapshot = { ...state, positions: { ...state.positions }, updated_at: new Date().toISOString() };
    saving = saving
      .then(() => options.save(snapshot))
      .catch((error) => log.warn('replay checkpoint failed', { error: errorMessage(error) }));
  };

  // The count runs beside the delivery pass (it reads headers only, so it ends first): the
  // replay's time is the delivery's, not the sum of two reads of the range.
  let counting: Promise<void> = Promise.resolve();
  if (state.total === null) {
    counting = collectIds(undefined, 'end').then((ids) => {
      if (signal.aborted) return;
      state.total = ids.size;
      checkpoint();
    });
  }
  const seen = Object.keys(state.positions).length ? await collectIds(undefined, 'checkpoint') : new Set<string>();
  if (signal.aborted) {
    await counting.catch(() => undefined);
    return state;
  }

  state = {
    ...state,
    status: 'running',
    started_at: state.started_at ?? new Date().toISOString(),
    updated_at: new Date().toISOString(),
  };
  checkpoint();

  const stop = new AbortController();
  const onAbort = () => stop.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const minIntervalMs = options.maxRatePerSecond > 0 ? 1000 / options.maxRatePerSecond : 0;
  let nextSlot = Date.now();
  let refusal: string | undefined;

  try {
    await scanRanges({
      kafka,
      ranges: state.ranges,
      positions: state.positions,
      concurrency: options.concurrency,
      groupIdPrefix,
      signal: stop.signal,
      onRecord: async ({ topic, partition, message }) => {
        if (cancelled()) return stop.abort();
        const key = positionKey(topic, partition);
        state.scanned += 1;
        if (match.cheap(message) && message.value) {
          const event = await codec.decode(message.value);
          if (match.full(event) && !seen.has(event.id)) {
            seen.add(event.id);
            if (minIntervalMs) {
              const wait = nextSlot - Date.now();
              nextSlot = Math.max(nextSlot, Date.now()) + minIntervalMs;
              if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
            }
            const body = JSON.stringify(event);
            const result = await sendWithRetries(
              () => {
                const headers = signatureHeaders(state.secrets, event.id, body);
                headers['rg-replay-id'] = state.id;
                return { url: state.target.url, body, headers };
              },
              { send: options.send, scheduleMs: options.retryScheduleMs, signal: stop.signal },
            );
            if (stop.signal.aborted && !result.ok) return; // not acknowledged: resend after resume
            if (result.ok) state.delivered += 1;
            else {
              state.failed += 1;
              // No later event can reach a target the URL rules refuse: stop as failed, saying why.
              if (result.refused) {
                refusal ??= `the target URL was refused at delivery (${result.error ?? 'refused'}); the replay stopped`;
                return stop.abort();
              }
              log.warn('replay delivery failed for good', {
                event_id: event.id,
                status: result.status,
                error: result.error,
                attempts: result.attempts,
              });
            }
          }
        }
        state.positions[key] = String(BigInt(message.offset) + 1n);
        if (Date.now() - lastSave >= options.checkpointIntervalMs) checkpoint();
      },
    });
    if (refusal) throw new Error(refusal);
    await counting;
  } catch (error) {
    await counting.catch(() => undefined);
    await saving;
    state = {
      ...state,
      status: 'failed',
      error: errorMessage(error),
      finished_at: new Date().toISOString(),
      updated_at: new Date().toISOString(),
    };
    await options.save(state);
    log.warn('replay failed', { error: state.error, delivered: state.delivered, failed: state.failed });
    return state;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  await saving;
  if (signal.aborted) {
    checkpoint();
    await saving;
    return state;
  }
  const status = cancelled() ? 'cancelled' : 'completed';
  state = { ...state, status, finished_at: new Date().toISOString(), updated_at: new Date().toISOString() };
  await options.save(state);
  log.info('replay finished', { status, delivered: state.delivered, failed: state.failed, total: state.total });
  return state;
}
