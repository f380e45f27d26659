import { useEffect, useState } from 'preact/hooks';
import { api, failureMessage } from '../api/client.js';
import { apiFeatures, type ApiFeatures } from '../api/features.js';
import { revealedSecret } from '../api/secrets.js';
import type { RotatedWebhook, TestDelivery, Webhook } from '../api/types.js';
import { formatTime } from '../lib/format.js';
import { href, path } from '../lib/router.js';
import { useStore } from '../lib/store.js';
import { useLoad } from '../ui/async.js';
import { WebhookStatus } from './webhooks.js';
import { Confirm } from '../ui/confirm.js';
import { Deliveries } from './webhook-deliveries.js';

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
