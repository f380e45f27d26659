import { useMemo, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { RESOURCE_FILTERS, type Page, type PlatformEvent } from '../api/types.js';
import { errorsByField } from '../lib/field-errors.js';
import { formatTime } from '../lib/format.js';
import { href } from '../lib/router.js';
import { RANGE_PRESETS, rangeQuery } from '../lib/time-range.js';
import { EventLink, mainResource, TypeBadge } from '../ui/event-summary.js';
import { Field, FormErrors, formMessages, TimeBoundsFields } from '../ui/field.js';
import { ResourceField, resourceOf, TypesField } from '../ui/filters.js';
import { usePager, useVisible } from '../ui/pager.js';
import { DataTable } from '../ui/table.js';

const PAGE_SIZE = 100;
const FIELDS = ['types', 'since', 'until', 'order', 'limit', 'cursor', ...RESOURCE_FILTERS];

/** Every filter of `GET /events`, a time range, and infinite scroll over the cursor. */
export function ExplorerPage({ query }: { query: Record<string, string> }) {
  const [types, setTypes] = useState(query.types ?? '');
  const [range, setRange] = useState(query.range ?? (query.since || query.until ? 'custom' : '24h'));
  const [since, setSince] = useState(query.since ?? '');
  const [until, setUntil] = useState(query.until ?? '');
  const [order, setOrder] = useState(query.order === 'asc' ? 'asc' : 'desc');
  const [resource, setResource] = useState(resourceOf(query));

  // The search as the URL states it; a preset's `since` is fixed when the search starts, so every
  // page of one search carries the same query (the cursor belongs to it).
  const search = useMemo(() => {
    const chosen = resourceOf(query);
    return {
      types: query.types,
      ...rangeQuery(query.range ?? (query.since || query.until ? 'custom' : '24h'), {
        since: query.since,
        until: query.until,
      }),
      order: query.order === 'asc' ? 'asc' : undefined,
      ...(chosen.value ? { [chosen.kind]: chosen.value } : {}),
    };
  }, [query]);
  const key = JSON.stringify(search);
  const pager = usePager<PlatformEvent>(key, (cursor, signal) =>
    api<Page<PlatformEvent>>('GET', '/events', { query: { ...search, limit: PAGE_SIZE, cursor }, signal }),
  );
  const sentinel = useVisible(pager.more, pager.hasMore && !pager.loading && !pager.error, pager.items.length);

  const errors = pager.error instanceof ApiError ? errorsByField(pager.error.details, FIELDS) : {};
  const apply = (event: Event) => {
    event.preventDefault();
    location.hash = href('/explorer', {
      types: types.trim(),
      range: range === '24h' ? undefined : range,
      since: range === 'custom' ? since : undefined,
      until: range === 'custom' ? until : undefined,
      order: order === 'asc' ? 'asc' : undefined,
      [resource.kind]: resource.value.trim(),
    });
  };

  return (
    <section>
      <h1>Explorer</h1>
      <form class="filters" onSubmit={apply} aria-label="Event filters" noValidate>
        <TypesField value={types} onInput={setTypes} errors={errors.types} />
        <Field label="Time range">
          {(control) => (
            <select {...control} name="range" value={range} onChange={(e) => setRange(e.currentTarget.value)}>
              {RANGE_PRESETS.map((preset) => (
                <option key={preset.value} value={preset.value}>
                  {preset.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {range === 'custom' ? (
          <TimeBoundsFields since={since} until={until} onSince={setSince} onUntil={setUntil} errors={errors} />
        ) : null}
        <ResourceField resource={resource} onChange={setResource} errors={errors} />
        <Field label="Order" errors={errors.order}>
          {(control) => (
            <select {...control} name="order" value={order} onChange={(e) => setOrder(e.currentTarget.value)}>
              <option value="desc">Newest first</option>
              <option value="asc">Oldest first</option>
            </select>
          )}
        </Field>
        <div class="filters__actions">
          <button type="submit" class="button button--primary">
            Search
          </button>
        </div>
      </form>
      <FormErrors messages={formMessages(pager.error, errors)} />

      <section class="panel">
        <h2 class="visually-hidden">Results</h2>
        <p class="muted" role="status" data-results={pager.items.length}>
          {pager.items.length} event{pager.items.length === 1 ? '' : 's'}
          {pager.hasMore ? ', more below' : pager.loading ? '' : ', the whole range'}
          {pager.loading ? ' · loading…' : ''}
        </p>
        {pager.items.length ? (
          <DataTable columns={['Time (UTC)', 'Type', 'Resource', 'Event']} class="events-table">
            {pager.items.map((event) => {
              const main = mainResource(event);
              return (
                <tr key={event.id} data-event-id={event.id}>
                  <td class="nowrap">{formatTime(event.created_at).replace(' UTC', '')}</td>
                  <td>
                    <TypeBadge type={event.type} />
                  </td>
                  <td>
                    {main ? (
                      <a href={href('/explorer', { [main.name]: main.value, range: 'all' })}>
                        {main.name}: {main.value}
                      </a>
                    ) : (
                      '–'
                    )}
                  </td>
                  <td>
                    <EventLink id={event.id} />
                  </td>
                </tr>
              );
            })}
          </DataTable>
        ) : null}
        <div ref={sentinel} class="sentinel" />
        {pager.hasMore ? (
          <button type="button" class="button" onClick={pager.more} disabled={pager.loading}>
            Load more
          </button>
        ) : null}
      </section>
    </section>
  );
}
