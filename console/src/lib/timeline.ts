/** The fields of an event the timeline reads. */
export interface TimelineEvent {
  id: string;
  type: string;
  created_at: string;
  data: Record<string, unknown>;
}

export interface TimelineStep {
  eventId: string;
  number: number;
  kind: string;
  tool: string | null;
  /** When the step started (its completion minus its duration), epoch ms. */
  startMs: number;
  endMs: number;
  durationMs: number;
}

export interface Timeline {
  startMs: number;
  endMs: number;
  agentId: string | null;
  goal: string | null;
  model: string | null;
  /** `running` until a session.completed or session.failed arrives. */
  outcome: 'completed' | 'failed' | 'running';
  outcomeEventId: string | null;
  /** The failure's code and message, or the completion's status when it is not plain `completed`. */
  outcomeDetail: string | null;
  steps: TimelineStep[];
  /** Every event of the session, in time order (steps, outcome and any other type). */
  events: TimelineEvent[];
}

const text = (value: unknown): string | null => (typeof value === 'string' && value ? value : null);
const number = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** One session's story from its events (any order): its steps on a time axis and how it ended. */
export function buildTimeline(input: readonly TimelineEvent[]): Timeline {
  const events = [...input].sort(
    (a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || (a.id < b.id ? -1 : 1),
  );
  const started = events.find((event) => event.type === 'session.started');
  const ended = events.find((event) => event.type === 'session.completed' || event.type === 'session.failed');
  const steps = events
    .filter((event) => event.type === 'session.step.completed')
    .map((event): TimelineStep => {
      const endMs = Date.parse(event.created_at);
      const durationMs = Math.max(0, number(event.data.duration_ms) ?? 0);
      return {
        eventId: event.id,
        number: number(event.data.step_number) ?? 0,
        kind: text(event.data.step_type) ?? 'step',
        tool: text(event.data.tool),
        startMs: endMs - durationMs,
        endMs,
        durationMs,
      };
    })
    .sort((a, b) => a.number - b.number || a.endMs - b.endMs);
  const times = events.map((event) => Date.parse(event.created_at)).concat(steps.map((step) => step.startMs));
  const startMs = times.length ? Math.min(...times) : 0;
  const endMs = times.length ? Math.max(...times, ...steps.map((step) => step.endMs)) : 0;
  const detail = (() => {
    if (!ended) return null;
    if (ended.type === 'session.failed')
      return [text(ended.data.error_code), text(ended.data.error_message)].filter(Boolean).join(': ') || null;
    const status = text(ended.data.status);
    return status === 'completed' ? null : status;
  })();
  return {
    startMs,
    endMs,
    agentId: text(started?.data.agent_id) ?? text(ended?.data.agent_id),
    goal: text(started?.data.goal),
    model: text(started?.data.model),
    outcome: ended ? (ended.type === 'session.failed' ? 'failed' : 'completed') : 'running',
    outcomeEventId: ended?.id ?? null,
    outcomeDetail: detail,
    steps,
    events,
  };
}

/** Where a span sits on the axis, in percent of its width: `left` and `width` (at least a sliver). */
export function placeOnAxis(timeline: Pick<Timeline, 'startMs' | 'endMs'>, startMs: number, endMs: number) {
  const span = Math.max(1, timeline.endMs - timeline.startMs);
  const left = ((startMs - timeline.startMs) / span) * 100;
  const width = Math.max(0.4, ((endMs - startMs) / span) * 100);
  return { left: Math.max(0, Math.min(100, left)), width: Math.min(width, 100 - Math.max(0, left)) };
}

/** Round tick offsets (ms from the start) for an axis of `spanMs`: about five of 1, 2 or 5 × 10^k ms. */
export function axisTicks(spanMs: number): number[] {
  if (spanMs <= 0) return [0];
  const rough = spanMs / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? power * 10;
  const ticks: number[] = [];
  for (let at = 0; at <= spanMs; at += step) ticks.push(at);
  return ticks;
}
