import { useEffect, useState } from 'preact/hooks';
import { api, failureMessage } from '../api/client.js';
import type { ApiFeatures } from '../api/features.js';
import type { Delivery, Page } from '../api/types.js';
import { formatCount } from '../lib/format.js';
import { EventLink, TypeBadge } from '../ui/event-summary.js';
import { usePager } from '../ui/pager.js';
import { DataTable } from '../ui/table.js';
import { Time } from '../ui/time.js';

const DELIVERIES_PAGE = 50;
const REFRESH_MS = 3000;

/** A webhook's delivery attempts, newest first; the first page follows new attempts. */
export function Deliveries({ webhookId, features }: { webhookId: string; features: ApiFeatures | undefined }) {
  const [tick, setTick] = useState(0);
  const pager = usePager<Delivery>(`${webhookId}:${tick}`, (cursor, signal) =>
    api<Page<Delivery>>('GET', `/webhooks/${encodeURIComponent(webhookId)}/deliveries`, {
      query: { limit: DELIVERIES_PAGE, cursor },
      signal,
    }),
  );
  const onFirstPage = pager.items.length <= DELIVERIES_PAGE;
  // The first page follows new attempts; once more pages are open, refreshing is left to the user.
  useEffect(() => {
    if (!onFirstPage) return;
    const timer = setInterval(() => setTick((n) => n + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, [onFirstPage]);
  const resend = (delivery: Delivery) =>
    api(
      'POST',
      `/webhooks/${encodeURIComponent(webhookId)}/deliveries/${encodeURIComponent(delivery.event_id)}/resend`,
    ).then(
      () => setTick((n) => n + 1),
      () => undefined,
    );

  return (
    <section class="panel">
      <div class="title-row">
        <h2>Delivery attempts</h2>
        <button type="button" class="button" onClick={() => setTick((n) => n + 1)}>
          Refresh
        </button>
      </div>
      {pager.error ? <p class="notice notice--error">{failureMessage(pager.error)}</p> : null}
      {pager.items.length === 0 ? (
        <p class="muted" data-deliveries-empty>
          {pager.loading ? 'Loading…' : 'No attempt yet: events matching this webhook appear here once delivered.'}
        </p>
      ) : (
        <DataTable
          columns={[
            'Attempted',
            'Event',
            { label: 'Attempt', numeric: true },
            'State',
            { label: 'Response', numeric: true },
            { label: 'Duration', numeric: true },
            'Error',
            'Next retry',
            { label: 'Actions', hidden: true },
          ]}
          data-deliveries
        >
          {pager.items.map((delivery) => (
            <tr
              key={`${delivery.id}/${delivery.attempt}`}
              data-delivery-state={delivery.state}
              data-event-id={delivery.event_id}
            >
              <td class="nowrap">
                <Time iso={delivery.attempted_at} />
              </td>
              <td>
                <TypeBadge type={delivery.event_type} /> <EventLink id={delivery.event_id} />
              </td>
              <td class="num">{delivery.attempt}</td>
              <td>
                <span class={`badge badge--${delivery.state}`}>{delivery.state}</span>
              </td>
              <td class="num" data-status-code>
                {delivery.status_code ?? '–'}
              </td>
              <td class="num">{formatCount(delivery.duration_ms)} ms</td>
              <td data-error>{delivery.error ?? ''}</td>
              <td data-next-retry>{delivery.next_retry_at ? <Time iso={delivery.next_retry_at} /> : '–'}</td>
              <td>
                {/* Resending needs POST /webhooks/{id}/deliveries/{event_id}/resend, a later API route: disabled until the API offers it. */}
                <button
                  type="button"
                  class="button button--small"
                  disabled={!features?.resend}
                  title={
                    features?.resend ? 'Deliver this event again' : 'This API version cannot resend a delivery yet'
                  }
                  onClick={() => void resend(delivery)}
                >
                  Resend
                </button>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {pager.hasMore ? (
        <button type="button" class="button" onClick={pager.more} disabled={pager.loading}>
          Older attempts
        </button>
      ) : null}
    </section>
  );
}
