import { api, failureMessage } from '../api/client.js';
import { RESOURCE_FILTERS, type PlatformEvent } from '../api/types.js';
import { formatTime } from '../lib/format.js';
import { href, path } from '../lib/router.js';
import { useLoad } from '../ui/async.js';
import { mainResource, TypeBadge } from '../ui/event-summary.js';
import { JsonView } from '../ui/json.js';

const NAMES: Record<string, string> = { session_id: 'session', agent_id: 'agent', team_id: 'team', user_id: 'user' };

/** One event: its envelope, data and metadata, its resources' other events, "replay from here". */
export function EventPage({ id }: { id: string }) {
  const [loaded] = useLoad(
    (signal) => api<PlatformEvent>('GET', `/events/${encodeURIComponent(id)}`, { signal }),
    [id],
  );
  if (loaded.state === 'failed')
    return (
      <section>
        <h1>Event</h1>
        <p class="notice notice--error" role="alert">
          {failureMessage(loaded.error)}
        </p>
      </section>
    );
  const event = loaded.value;
  if (!event)
    return (
      <section>
        <h1>Event</h1>
        <p class="muted">Loading…</p>
      </section>
    );
  const resources = RESOURCE_FILTERS.map((name) => {
    const value = name === 'user_id' ? (event.data.user_id ?? event.metadata.user_id) : event.data[name];
    return typeof value === 'string' && value ? { name, value } : null;
  }).filter((entry) => entry !== null);
  const main = mainResource(event);
  const sessionId = typeof event.data.session_id === 'string' ? event.data.session_id : null;

  return (
    <section>
      <p class="breadcrumb">
        <a href="#/explorer">Explorer</a> / event
      </p>
      <h1 class="event-title">
        <TypeBadge type={event.type} /> <code>{event.id}</code>
      </h1>
      <div class="actions">
        <a
          class="button button--primary"
          href={href('/replays', { since: event.created_at, ...(main ? { [main.name]: main.value } : {}) })}
        >
          Replay from here
        </a>
        {sessionId ? (
          <a class="button" href={href(path('sessions', sessionId))}>
            Session timeline
          </a>
        ) : null}
      </div>
      <div class="grid-2">
        <section class="panel">
          <h2>Envelope</h2>
          <dl class="pairs">
            <dt>id</dt>
            <dd>
              <code>{event.id}</code>
            </dd>
            <dt>type</dt>
            <dd>{event.type}</dd>
            <dt>created_at</dt>
            <dd>{formatTime(event.created_at)}</dd>
            <dt>organization_id</dt>
            <dd>{event.metadata.organization_id}</dd>
            <dt>user_id</dt>
            <dd>{event.metadata.user_id ?? '–'}</dd>
            <dt>request_id</dt>
            <dd>{event.metadata.request_id ?? '–'}</dd>
          </dl>
        </section>
        <section class="panel">
          <h2>Same resources</h2>
          {resources.length ? (
            <ul class="links">
              {resources.map((resource) => (
                <li key={resource.name}>
                  <a href={href('/explorer', { [resource.name]: resource.value, range: 'all' })}>
                    Every event of {NAMES[resource.name]} <code>{resource.value}</code>
                  </a>
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">This event names no session, agent, team or user.</p>
          )}
        </section>
      </div>
      <section class="panel">
        <h2>Data</h2>
        <JsonView value={event.data} label="Event data" />
      </section>
      <section class="panel">
        <h2>Metadata</h2>
        <JsonView value={event.metadata} label="Event metadata" />
      </section>
    </section>
  );
}
