import { useState } from 'preact/hooks';
import { api, ApiError, failureMessage } from '../api/client.js';
import { revealedSecret } from '../api/secrets.js';
import type { CreatedWebhook, Webhook } from '../api/types.js';
import { errorsByField } from '../lib/field-errors.js';
import { href, path } from '../lib/router.js';
import { useLoad } from '../ui/async.js';
import { FormErrors, formMessages, TextField } from '../ui/field.js';
import { PatternPicker } from '../ui/pattern-picker.js';

const FIELDS = ['url', 'events', 'description', 'secret', 'enabled'];

function WebhookForm({ webhook }: { webhook?: Webhook | undefined }) {
  const [url, setUrl] = useState(webhook?.url ?? '');
  const [events, setEvents] = useState<string[]>(webhook?.events ?? []);
  const [description, setDescription] = useState(webhook?.description ?? '');
  const [secret, setSecret] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const errors = failure instanceof ApiError ? errorsByField(failure.details, FIELDS) : {};

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      if (webhook) {
        await api<Webhook>('PATCH', `/webhooks/${encodeURIComponent(webhook.id)}`, {
          body: { url, events, description: description.trim() ? description : null },
        });
        location.hash = href(path('webhooks', webhook.id));
      } else {
        const created = await api<CreatedWebhook>('POST', '/webhooks', {
          body: {
            url,
            events,
            ...(description.trim() ? { description } : {}),
            ...(secret ? { secret } : {}),
          },
        });
        revealedSecret.set({ webhookId: created.id, secret: created.secret, previousExpiresAt: null });
        location.hash = href(path('webhooks', created.id));
      }
    } catch (error) {
      setFailure(error);
      setBusy(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate aria-label={webhook ? 'Edit webhook' : 'New webhook'}>
      <FormErrors messages={formMessages(failure, errors)} />
      <TextField
        label="Endpoint URL"
        name="url"
        type="url"
        value={url}
        onInput={setUrl}
        errors={errors.url}
        placeholder="https://example.com/webhook"
        hint="https, on a public address (local development allows http and private addresses)"
      />
      <TextField
        label="Description (optional)"
        name="description"
        value={description}
        onInput={setDescription}
        errors={errors.description}
        maxLength={1000}
      />
      <PatternPicker value={events} onChange={setEvents} errors={errors.events} />
      {webhook ? null : (
        <TextField
          label="Signing secret (optional)"
          name="secret"
          type="password"
          value={secret}
          onInput={setSecret}
          errors={errors.secret}
          hint="Leave empty to get a strong generated one (whsec_…), shown once after creation."
        />
      )}
      <div class="actions">
        <button type="submit" class="button button--primary" disabled={busy}>
          {webhook ? 'Save' : 'Create webhook'}
        </button>
        <a class="button" href={webhook ? href(path('webhooks', webhook.id)) : '#/webhooks'}>
          Cancel
        </a>
      </div>
    </form>
  );
}

/** Create a webhook, or edit one (`id`). */
export function WebhookFormPage({ id }: { id?: string | undefined }) {
  const [loaded] = useLoad(
    (signal) =>
      id ? api<Webhook>('GET', `/webhooks/${encodeURIComponent(id)}`, { signal }) : Promise.resolve(undefined),
    [id],
  );
  return (
    <section>
      <p class="breadcrumb">
        <a href="#/webhooks">Webhooks</a> / {id ? 'edit' : 'new'}
      </p>
      <h1>{id ? 'Edit webhook' : 'New webhook'}</h1>
      {loaded.state === 'failed' ? (
        <p class="notice notice--error" role="alert">
          {failureMessage(loaded.error)}
        </p>
      ) : id && !loaded.value ? (
        <p class="muted">Loading…</p>
      ) : (
        <WebhookForm webhook={loaded.value} />
      )}
    </section>
  );
}
