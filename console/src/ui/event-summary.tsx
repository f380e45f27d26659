import { useState } from 'preact/hooks';
import { RESOURCE_FILTERS, type PlatformEvent } from '../api/types.js';
import { formatTime } from '../lib/format.js';
import { href, path } from '../lib/router.js';
import { JsonView } from './json.js';

/** The resource an event is mainly about (`session_id: sess_1`), for one-line summaries. */
export function mainResource(event: PlatformEvent): { name: string; value: string } | null {
  for (const name of RESOURCE_FILTERS) {
    const value = event.data?.[name];
    if (typeof value === 'string' && value) return { name, value };
  }
  return null;
}

export const categoryOf = (type: string): string => type.split('.')[0] ?? type;

/** A link to an event's page, showing its id. */
export function EventLink({ id }: { id: string }) {
  return (
    <a href={href(path('events', id))}>
      <code>{id}</code>
    </a>
  );
}

export function TypeBadge({ type }: { type: string }) {
  return <span class={`type type--${categoryOf(type)}`}>{type}</span>;
}

/** One event as a disclosure: its summary line, and its JSON once opened (by click or keyboard). */
export function EventDisclosure({ event }: { event: PlatformEvent }) {
  const [open, setOpen] = useState(false);
  const resource = mainResource(event);
  return (
    <details class="event" onToggle={(e) => setOpen(e.currentTarget.open)} data-event-id={event.id}>
      <summary>
        <time class="event__time" dateTime={event.created_at}>
          {formatTime(event.created_at).slice(11, 23)}
        </time>
        <TypeBadge type={event.type} />
        <span class="event__resource">{resource ? `${resource.name}: ${resource.value}` : ''}</span>
        <code class="event__id">{event.id}</code>
      </summary>
      {open ? (
        <div class="event__body">
          <JsonView value={event} label={`Event ${event.id}`} />
          <a href={href(path('events', event.id))}>Open the event</a>
        </div>
      ) : null}
    </details>
  );
}
