import { useEffect, useState } from 'preact/hooks';
import { api, failureMessage } from '../api/client.js';
import { apiFeatures, type ApiFeatures } from '../api/features.js';
import { revealedSecret } from '../api/secrets.js';
import type { Delivery, Page, RotatedWebhook, TestDelivery, Webhook } from '../api/types.js';
import { formatCount, formatTime } from '../lib/format.js';
import { href, path } from '../lib/router.js';
import { useStore } from '../lib/store.js';
import { useLoad } from '../ui/async.js';
import { EventLink, TypeBadge } from '../ui/event-summary.js';
import { usePager } from '../ui/pager.js';
import { Time } from '../ui/time.js';
import { WebhookStatus } from './webhooks.js';
import { DataTable } from '../ui/table.js';

const DELIVERIES_PAGE = 50;
const REFRESH_MS = 3000;

function SecretShownOnce({ webhookId }: { webhookId: string }) {
  const revealed = useStore(revealedSecret);
  if (!revealed || revealed.webhookId !== webhookId) return null;
  return (
    <div class="notice notice--secret" role="alert" data-secret-notice>
      <h2>Signing secret: shown this once</h2>
      <p>Store it now in your receiver's configuration; the API never shows it again.</p>
      <p>
        <code class="secret" data-secret>
          {revealed.secret}
        </code>
      </p>
      {revealed.previousExpiresAt ? (
        <p>The previous secret keeps signing until {formatTime(revealed.previousExpiresAt)}.</p>
      ) : null}
      <div class="actions">
        <button type="button" class="button" onClick={() => void navigator.clipboard?.writeText(revealed.secret)}>
          Copy
        </button>
        <button type="button" class="button button--primary" onClick={() => revealedSecret.set(null)}>
          I have stored it
        </button>
      </div>
    </div>
  );
}

function Confirm({
  label,
  question,
  onConfirm,
  danger,
}: {
  label: string;
  question: string;
  onConfirm: () => void;
  danger?: boolean;
}) {
  const [asking, setAsking] = useState(false);
  if (!asking)
    return (
      <button type="button" class={`button ${danger ? 'button--danger' : ''}`} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <fieldset class="confirm">
      <legend>{question}</legend>
      <button
        type="button"
        class={`button ${danger ? 'button--danger' : 'button--primary'}`}
        ref={(element) => element?.focus()}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, {label.toLowerCase()}
      </button>
      <button type="button" class="button" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </fieldset>
  );
}

function Deliveries({ webhookId, features }: { webhookId: string; features: ApiFeatures | undefined }) {
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

/** One webhook: its settings and actions (enable, rotate, test, delete) and its delivery attempts. */
export function WebhookPage({ id }: { id: string }) {
  const [loaded, reload] = useLoad(
    (signal) => api<Webhook>('GET', `/webhooks/${encodeURIComponent(id)}`, { signal }),
    [id],
  );
  const [message, setMessage] = useState<{ tone: string; text: string } | null>(null);
  const [features, setFeatures] = useState<ApiFeatures>();
  useEffect(() => {
    apiFeatures().then(setFeatures, () => undefined);
  }, []);
  const webhook = loaded.value;
  const run = async (action: () => Promise<void>) => {
    setMessage(null);
    try {
      await action();
    } catch (error) {
      setMessage({ tone: 'error', text: failureMessage(error) });
    }
  };
  const base = `/webhooks/${encodeURIComponent(id)}`;

  if (loaded.state === 'failed' && !webhook)
    return (
      <section>
        <h1>Webhook</h1>
        <p class="notice notice--error" role="alert">
          {failureMessage(loaded.error)}
        </p>
      </section>
    );
  if (!webhook)
    return (
      <section>
        <h1>Webhook</h1>
        <p class="muted">Loading…</p>
      </section>
    );
  return (
    <section>
      <p class="breadcrumb">
        <a href="#/webhooks">Webhooks</a> / {webhook.id}
      </p>
      <h1>{webhook.description || webhook.url}</h1>
      <SecretShownOnce webhookId={webhook.id} />
      <div class="actions">
        <a class="button" href={href(path('webhooks', webhook.id, 'edit'))}>
          Edit
        </a>
        <button
          type="button"
          class="button"
          onClick={() =>
            run(async () => {
              await api('PATCH', base, { body: { enabled: !webhook.enabled } });
              reload();
            })
          }
        >
          {webhook.enabled ? 'Disable' : 'Enable'}
        </button>
        <button
          type="button"
          class="button"
          onClick={() =>
            run(async () => {
              setMessage({ tone: 'info', text: 'Sending a test delivery…' });
              const result = await api<TestDelivery>('POST', `${base}/test`);
              setMessage(
                result.delivered
                  ? { tone: 'success', text: `Test delivered: HTTP ${result.status_code} in ${result.duration_ms} ms.` }
                  : {
                      tone: 'error',
                      text: `Test failed: ${result.error ?? `HTTP ${result.status_code}`} (${result.duration_ms} ms).`,
                    },
              );
            })
          }
        >
          Send test
        </button>
        <Confirm
          label="Rotate secret"
          question="Make a new signing secret? The current one keeps signing for the grace period."
          onConfirm={() =>
            run(async () => {
              const rotated = await api<RotatedWebhook>('POST', `${base}/rotate-secret`);
              revealedSecret.set({
                webhookId: webhook.id,
                secret: rotated.secret,
                previousExpiresAt: rotated.previous_secret_expires_at,
              });
            })
          }
        />
        <Confirm
          label="Delete"
          danger
          question="Delete this webhook? Deliveries to it stop."
          onConfirm={() =>
            run(async () => {
              await api('DELETE', base);
              location.hash = '#/webhooks';
            })
          }
        />
      </div>
      {message ? (
        <p class={`notice notice--${message.tone}`} role="status" data-action-result>
          {message.text}
        </p>
      ) : null}
      <section class="panel">
        <dl class="pairs">
          <dt>URL</dt>
          <dd>
            <code>{webhook.url}</code>
          </dd>
          <dt>Event types</dt>
          <dd>
            {webhook.events.map((pattern) => (
              <code key={pattern} class="chip">
                {pattern}
              </code>
            ))}
          </dd>
          <dt>Status</dt>
          <dd>
            <WebhookStatus webhook={webhook} />
          </dd>
          <dt>Created</dt>
          <dd>{formatTime(webhook.created_at)}</dd>
          <dt>Updated</dt>
          <dd>{formatTime(webhook.updated_at)}</dd>
          <dt>Replay</dt>
          <dd>
            <a href={href('/replays', { webhook_id: webhook.id })}>Replay past events to this webhook</a>
          </dd>
        </dl>
      </section>
      <Deliveries webhookId={webhook.id} features={features} />
    </section>
  );
}
