import {
  Counter,
  Gauge,
  getOrCreate,
  Histogram,
  LATENCY_BUCKETS_SECONDS,
  type Registry,
} from '../../core/metrics/registry.js';

/** The live stream's metrics, shared by every gateway component of one process. */
export function streamMetrics(metrics: Registry) {
  return {
    connections: getOrCreate(
      metrics,
      'rg_stream_connections',
      () => new Gauge({ name: 'rg_stream_connections', help: 'Open live-stream connections.', registers: [metrics] }),
    ),
    framesSent: getOrCreate(
      metrics,
      'rg_stream_frames_sent_total',
      () =>
        new Counter({
          name: 'rg_stream_frames_sent_total',
          help: 'Event frames written to live-stream clients (live and catch-up).',
          labelNames: ['phase'],
          registers: [metrics],
        }),
    ),
    cutOff: getOrCreate(
      metrics,
      'rg_stream_clients_cut_off_total',
      () =>
        new Counter({
          name: 'rg_stream_clients_cut_off_total',
          help: 'Clients disconnected for not reading fast enough, by which buffer overflowed.',
          labelNames: ['reason'],
          registers: [metrics],
        }),
    ),
    rejected: getOrCreate(
      metrics,
      'rg_stream_connections_rejected_total',
      () =>
        new Counter({
          name: 'rg_stream_connections_rejected_total',
          help: 'Stream requests refused before the stream opened, by error code.',
          labelNames: ['code'],
          registers: [metrics],
        }),
    ),
    catchUps: getOrCreate(
      metrics,
      'rg_stream_catch_ups_total',
      () =>
        new Counter({
          name: 'rg_stream_catch_ups_total',
          help: 'Resumes that read missed events from Kafka, by outcome.',
          labelNames: ['outcome'],
          registers: [metrics],
        }),
    ),
    lag: getOrCreate(
      metrics,
      'rg_stream_consumer_lag',
      () =>
        new Gauge({
          name: 'rg_stream_consumer_lag',
          help: 'Records the shared stream consumer is behind the partition end.',
          labelNames: ['topic', 'partition'],
          registers: [metrics],
        }),
    ),
    feedDelay: getOrCreate(
      metrics,
      'rg_stream_feed_delay_seconds',
      () =>
        new Histogram({
          name: 'rg_stream_feed_delay_seconds',
          help: "From an event's created_at to its dispatch by the shared consumer.",
          buckets: LATENCY_BUCKETS_SECONDS,
          registers: [metrics],
        }),
    ),
    gaps: getOrCreate(
      metrics,
      'rg_stream_offset_gaps_total',
      () =>
        new Counter({
          name: 'rg_stream_offset_gaps_total',
          help: 'Times the shared consumer found records missing before the next one (retention or a lost seek).',
          registers: [metrics],
        }),
    ),
  };
}

export type StreamMetrics = ReturnType<typeof streamMetrics>;
