import { useEffect, useState } from 'preact/hooks';
import { api, failureMessage } from '../api/client.js';
import type { Page, PlatformEvent } from '../api/types.js';
import { formatDuration, formatTime } from '../lib/format.js';
import { href, path } from '../lib/router.js';
import { axisTicks, buildTimeline, placeOnAxis, type Timeline } from '../lib/timeline.js';
import { useLoad } from '../ui/async.js';
import { EventLink, TypeBadge } from '../ui/event-summary.js';
import { TextField } from '../ui/field.js';
import { Time } from '../ui/time.js';
import { DataTable } from '../ui/table.js';

/** Most events read for one session (pages of 1000). */
const MAX_EVENTS = 10_000;

async function sessionEvents(sessionId: string, signal: AbortSignal): Promise<PlatformEvent[]> {
  const events: PlatformEvent[] = [];
  let cursor: string | undefined;
  do {
    const page = await api<Page<PlatformEvent>>('GET', '/events', {
      query: { session_id: sessionId, order: 'asc', limit: 1000, cursor },
      signal,
    });
    events.push(...page.data);
    cursor = page.has_more ? (page.next_cursor ?? undefined) : undefined;
  } while (cursor && events.length < MAX_EVENTS);
  return events;
}

function SessionPicker() {
  const [id, setId] = useState('');
  const [recent] = useLoad(
    (signal) => api<Page<PlatformEvent>>('GET', '/events', { query: { types: 'session.started', limit: 20 }, signal }),
    [],
  );
  return (
    <section>
      <h1>Session timeline</h1>
      <form
        class="filters"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (id.trim()) location.hash = href(path('sessions', id.trim()));
        }}
      >
        <TextField label="Session id" name="session_id" value={id} onInput={setId} placeholder="sess_…" />
        <div class="filters__actions">
          <button type="submit" class="button button--primary">
            Show
          </button>
        </div>
      </form>
      <section class="panel">
        <h2>Recently started sessions</h2>
        {recent.state === 'failed' ? <p class="notice notice--error">{failureMessage(recent.error)}</p> : null}
        {recent.value?.data.length ? (
          <ul class="links">
            {recent.value.data.map((event) => (
              <li key={event.id}>
                <a href={href(path('sessions', String(event.data.session_id)))}>
                  <code>{String(event.data.session_id)}</code>
                </a>{' '}
                <span class="muted">
                  {String(event.data.agent_id ?? '')} · <Time iso={event.created_at} />
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p class="muted">{recent.state === 'loading' ? 'Loading…' : 'No session started recently.'}</p>
        )}
      </section>
    </section>
  );
}

function TimelineView({ timeline }: { timeline: Timeline }) {
  const span = timeline.endMs - timeline.startMs;
  const ticks = axisTicks(span);
  return (
    <>
      <div class="timeline__axis" aria-hidden="true">
        {ticks.map((tick) => (
          <span key={tick} class="timeline__tick" style={{ left: `${(tick / Math.max(1, span)) * 100}%` }}>
            {formatDuration(tick)}
          </span>
        ))}
      </div>
      <ol class="timeline" aria-label="Steps on a time axis">
        {timeline.steps.map((step) => {
          const place = placeOnAxis(timeline, step.startMs, step.endMs);
          return (
            <li class="timeline__row" key={step.eventId} data-step={step.number}>
              <div class="timeline__label">
                <a href={href(path('events', step.eventId))}>Step {step.number}</a>
                <span class="muted">
                  {step.kind}
                  {step.tool ? ` · ${step.tool}` : ''}
                </span>
              </div>
              <div class="timeline__track">
                <div
                  class={`timeline__bar ${step.tool ? 'timeline__bar--tool' : ''}`}
                  style={{ left: `${place.left}%`, width: `${place.width}%` }}
                  title={`${formatTime(new Date(step.startMs).toISOString())} → ${formatTime(new Date(step.endMs).toISOString())}`}
                />
              </div>
              <div class="timeline__duration">{formatDuration(step.durationMs)}</div>
            </li>
          );
        })}
        {timeline.outcome !== 'running' ? (
          <li class="timeline__row" data-outcome-row>
            <div class="timeline__label">
              <a href={href(path('events', timeline.outcomeEventId ?? ''))}>Outcome</a>
            </div>
            <div class="timeline__track">
              <div
                class={`timeline__marker timeline__marker--${timeline.outcome}`}
                style={{ left: `${placeOnAxis(timeline, timeline.endMs, timeline.endMs).left}%` }}
              />
            </div>
            <div class="timeline__duration">{timeline.outcome}</div>
          </li>
        ) : null}
      </ol>
    </>
  );
}

/** One session's steps in order on a time axis, with durations, tools and the outcome. */
function SessionView({ id }: { id: string }) {
  const [loaded, reload] = useLoad((signal) => sessionEvents(id, signal), [id]);
  const timeline = loaded.value ? buildTimeline(loaded.value) : undefined;
  const running = timeline?.outcome === 'running';
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(reload, 3000);
    return () => clearInterval(timer);
  }, [running, reload]);

  return (
    <section>
      <p class="breadcrumb">
        <a href="#/sessions">Sessions</a> / {id}
      </p>
      <h1>
        Session <code>{id}</code>
      </h1>
      {loaded.state === 'failed' ? (
        <p class="notice notice--error" role="alert">
          {failureMessage(loaded.error)}
        </p>
      ) : null}
      {!timeline ? (
        <p class="muted">Loading…</p>
      ) : timeline.events.length === 0 ? (
        <p class="muted">No event of this session in history.</p>
      ) : (
        <>
          <dl class="figures">
            <div class="figure">
              <dt>Outcome</dt>
              <dd>
                <span class={`badge badge--${timeline.outcome}`} data-outcome={timeline.outcome}>
                  {timeline.outcome}
                </span>
                {timeline.outcomeDetail ? <span class="figure__detail">{timeline.outcomeDetail}</span> : null}
              </dd>
            </div>
            <div class="figure">
              <dt>Duration</dt>
              <dd>
                <span class="figure__value">{formatDuration(timeline.endMs - timeline.startMs)}</span>
              </dd>
            </div>
            <div class="figure">
              <dt>Steps</dt>
              <dd>
                <span class="figure__value">{timeline.steps.length}</span>
              </dd>
            </div>
            <div class="figure">
              <dt>Agent</dt>
              <dd>
                {timeline.agentId ? (
                  <a href={href('/explorer', { agent_id: timeline.agentId, range: 'all' })}>{timeline.agentId}</a>
                ) : (
                  '–'
                )}
                {timeline.model ? <span class="figure__detail">{timeline.model}</span> : null}
              </dd>
            </div>
          </dl>
          {timeline.goal ? (
            <p>
              <strong>Goal:</strong> {timeline.goal}
            </p>
          ) : null}
          <section class="panel">
            <h2>Steps</h2>
            {timeline.steps.length ? <TimelineView timeline={timeline} /> : <p class="muted">No step completed yet.</p>}
          </section>
          <section class="panel">
            <h2>Every event of the session</h2>
            <DataTable columns={['At', 'Type', 'Event']}>
              {timeline.events.map((event) => (
                <tr key={event.id}>
                  <td class="nowrap">+{formatDuration(Date.parse(event.created_at) - timeline.startMs)}</td>
                  <td>
                    <TypeBadge type={event.type} />
                  </td>
                  <td>
                    <EventLink id={event.id} />
                  </td>
                </tr>
              ))}
            </DataTable>
          </section>
        </>
      )}
    </section>
  );
}

export function SessionsPage({ id }: { id?: string | undefined }) {
  return id ? <SessionView id={id} /> : <SessionPicker />;
}
