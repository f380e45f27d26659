import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { ApiError } from '../api/client.js';
import { openStream, type LiveStream, type ResumePoint, type StreamState } from '../api/stream.js';
import { RESOURCE_FILTERS, type PlatformEvent } from '../api/types.js';
import { errorsByField } from '../lib/field-errors.js';
import { LiveBuffer } from '../lib/live-buffer.js';
import { RateSeries } from '../lib/rate.js';
import { href } from '../lib/router.js';
import { TimeChart } from '../ui/chart.js';
import { EventDisclosure } from '../ui/event-summary.js';
import { FormErrors } from '../ui/field.js';
import { ResourceField, resourceOf, TypesField } from '../ui/filters.js';

const STATE_TEXT: Record<StreamState | 'paused', string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
  stopped: 'Stopped',
  paused: 'Paused',
};

/** The live stream: filters, pause and resume with no loss, newest first, each event expandable. */
export function LivePage({ query }: { query: Record<string, string> }) {
  const filters = useMemo(() => {
    const resource = resourceOf(query);
    return { events: query.types, ...(resource.value ? { [resource.kind]: resource.value } : {}) };
  }, [query]);
  const [types, setTypes] = useState(query.types ?? '');
  const [resource, setResource] = useState(resourceOf(query));
  const [refused, setRefused] = useState<ApiError | null>(null);
  const [state, setState] = useState<StreamState>('connecting');
  const [paused, setPaused] = useState(false);
  const [events, setEvents] = useState<readonly { event: PlatformEvent }[]>([]);
  const [received, setReceived] = useState(0);
  const buffer = useRef(new LiveBuffer<PlatformEvent>(500));
  const series = useRef(new RateSeries(120));
  const [rate, setRate] = useState<[number[], number[]]>(() => series.current.series());
  const stream = useRef<LiveStream | null>(null);
  const resume = useRef<ResumePoint>({});

  // A new set of filters is a new subscription: start from now with an empty list.
  // Dependencies: restarted on new filters only
  useEffect(() => {
    buffer.current.clear();
    setEvents([]);
    setReceived(0);
    setRefused(null);
    resume.current = {};
    setPaused(false);
    return () => {
      stream.current?.close();
      stream.current = null;
    };
  }, [filters]);

  useEffect(() => {
    if (paused || refused) return;
    const opened = openStream(filters, resume.current, {
      onEvents(batch) {
        const fresh = buffer.current.add(batch);
        series.current.record(fresh);
        setReceived((n) => n + fresh);
        setEvents(buffer.current.list);
      },
      onState: setState,
      onRefused: setRefused,
    });
    stream.current = opened;
    return () => {
      resume.current = opened.resumePoint;
      opened.close();
    };
  }, [filters, paused, refused]);

  useEffect(() => {
    const timer = setInterval(() => setRate(series.current.series()), 1000);
    return () => clearInterval(timer);
  }, []);

  const errors = refused ? errorsByField(refused.details, ['events', 'types', ...RESOURCE_FILTERS]) : {};
  const typeErrors = [...(errors.events ?? []), ...(errors.types ?? [])];
  const apply = (event: Event) => {
    event.preventDefault();
    location.hash = href('/live', { types: types.trim(), [resource.kind]: resource.value.trim() });
    if (refused) setRefused(null);
  };
  const shown = paused ? 'paused' : state;

  return (
    <section>
      <h1>Live</h1>
      <form class="filters" onSubmit={apply} aria-label="Live filters" noValidate>
        <TypesField value={types} onInput={setTypes} errors={typeErrors.length ? typeErrors : undefined} />
        <ResourceField resource={resource} onChange={setResource} errors={errors} />
        <div class="filters__actions">
          <button type="submit" class="button button--primary">
            Apply
          </button>
        </div>
      </form>
      <FormErrors messages={refused ? [refused.message, ...(errors[''] ?? [])] : undefined} />

      <div class="toolbar">
        <span class={`status status--${shown}`} role="status" data-stream-state={shown}>
          {STATE_TEXT[shown]}
        </span>
        <button
          type="button"
          class="button"
          onClick={() => setPaused((value) => !value)}
          disabled={Boolean(refused)}
          aria-pressed={paused}
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
        <span class="muted" data-received={received}>
          {received} received{paused ? ' · resuming continues after the last one, nothing is lost' : ''}
        </span>
      </div>

      <section class="panel">
        <h2>Arrival rate (events per second, last 2 minutes)</h2>
        <TimeChart
          label="Events received per second over the last two minutes"
          data={rate}
          series={[{ label: 'events/s', color: 1 }]}
          bars
          height={140}
        />
      </section>

      <section class="panel" aria-live="off">
        <h2 class="visually-hidden">Events, newest first</h2>
        {events.length === 0 ? (
          <p class="muted">Waiting for events… they appear here as they are published.</p>
        ) : (
          <ol class="event-list" data-live-list>
            {events.map(({ event }) => (
              <li key={event.id}>
                <EventDisclosure event={event} />
              </li>
            ))}
          </ol>
        )}
      </section>
    </section>
  );
}
