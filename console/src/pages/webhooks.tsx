import { api, failureMessage } from '../api/client.js';
import type { Page, Webhook } from '../api/types.js';
import { href, path } from '../lib/router.js';
import { useLoad } from '../ui/async.js';
import { Time } from '../ui/time.js';
import { DataTable } from '../ui/table.js';

export function WebhookStatus({ webhook }: { webhook: Pick<Webhook, 'enabled' | 'disabled_reason'> }) {
  if (webhook.enabled) return <span class="badge badge--delivered">enabled</span>;
  return (
    <span class="badge badge--failed">disabled{webhook.disabled_reason ? ` (${webhook.disabled_reason})` : ''}</span>
  );
}

/** The organization's webhooks. */
export function WebhooksPage() {
  const [list] = useLoad((signal) => api<Page<Webhook>>('GET', '/webhooks', { signal }), []);
  return (
    <section>
      <div class="title-row">
        <h1>Webhooks</h1>
        <a class="button button--primary" href="#/webhooks/new">
          New webhook
        </a>
      </div>
      {list.state === 'failed' ? (
        <p class="notice notice--error" role="alert">
          {failureMessage(list.error)}
        </p>
      ) : null}
      {!list.value ? (
        <p class="muted">{list.state === 'loading' ? 'Loading…' : ''}</p>
      ) : list.value.data.length === 0 ? (
        <p class="muted">
          No webhook yet. <a href="#/webhooks/new">Create one</a> to receive events at an HTTPS endpoint.
        </p>
      ) : (
        <DataTable columns={['Endpoint', 'Event types', 'Status', 'Created']}>
          {list.value.data.map((webhook) => (
            <tr key={webhook.id} data-webhook-id={webhook.id}>
              <td>
                <a href={href(path('webhooks', webhook.id))}>{webhook.description || webhook.url}</a>
                {webhook.description ? <div class="muted small">{webhook.url}</div> : null}
              </td>
              <td>
                {webhook.events.map((pattern) => (
                  <code key={pattern} class="chip">
                    {pattern}
                  </code>
                ))}
              </td>
              <td>
                <WebhookStatus webhook={webhook} />
              </td>
              <td>
                <Time iso={webhook.created_at} />
              </td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
