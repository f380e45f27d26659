import { useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import { countReplayRange } from '../api/replay-count.js';
import { RESOURCE_FILTERS, type Page, type Replay, type Webhook } from '../api/types.js';
import { errorsByField } from '../lib/field-errors.js';
import { formatCount } from '../lib/format.js';
import { fromLocalInput, toLocalInput } from '../lib/time-range.js';
import { useLoad } from '../ui/async.js';
import { Field, FormErrors, formMessages, TextField, TimeBoundsFields } from '../ui/field.js';
import { ResourceField, resourceOf, TypesField } from '../ui/filters.js';

const FIELDS = ['since', 'until', 'types', 'webhook_url', 'webhook_id', 'secret', ...RESOURCE_FILTERS];

/** A new replay: range, types, resource filter, target (a webhook, or a URL and its secret); prefilled from `query`. */
export function ReplayForm({
  query,
  onStarted,
}: {
  query: Record<string, string>;
  onStarted: (replay: Replay) => void;
}) {
  const [since, setSince] = useState(
    query.since ? toLocalInput(query.since) : toLocalInput(new Date(Date.now() - 3_600_000).toISOString()),
  );
  const [until, setUntil] = useState(query.until ? toLocalInput(query.until) : '');
  const [types, setTypes] = useState(query.types ?? '');
  const [resource, setResource] = useState(resourceOf(query));
  const [target, setTarget] = useState<'webhook' | 'url'>(query.webhook_url ? 'url' : 'webhook');
  const [webhookId, setWebhookId] = useState(query.webhook_id ?? '');
  const [url, setUrl] = useState(query.webhook_url ?? '');
  const [secret, setSecret] = useState('');
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [count, setCount] = useState<{ value: number | undefined; for: string } | null>(null);
  const [webhooks] = useLoad((signal) => api<Page<Webhook>>('GET', '/webhooks', { signal }), []);
  const options = webhooks.value?.data ?? [];
  const chosenWebhook = webhookId || options[0]?.id || '';
  const errors = failure instanceof ApiError ? errorsByField(failure.details, FIELDS) : {};

  const request = (): Record<string, unknown> => ({
    since: since ? fromLocalInput(since) : undefined,
    until: until ? fromLocalInput(until) : new Date().toISOString(),
    ...(types.trim()
      ? {
          types: types
            .split(',')
            .map((item) => item.trim())
            .filter(Boolean),
        }
      : {}),
    ...(resource.value.trim() ? { [resource.kind]: resource.value.trim() } : {}),
    ...(target === 'webhook'
      ? { webhook_id: chosenWebhook || undefined }
      : { webhook_url: url, ...(secret ? { secret } : {}) }),
  });

  const countFirst = async () => {
    setFailure(null);
    try {
      const body = request();
      setCount({ value: await countReplayRange(body), for: JSON.stringify(body) });
    } catch (error) {
      setFailure(error);
    }
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      onStarted(await api<Replay>('POST', '/events/replay', { body: request() }));
    } catch (error) {
      setFailure(error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="form" onSubmit={submit} noValidate aria-label="New replay">
      <FormErrors messages={formMessages(failure, errors)} />
      <div class="form-row">
        <TimeBoundsFields
          since={since}
          until={until}
          onSince={setSince}
          onUntil={setUntil}
          errors={errors}
          untilHint="Empty: now"
        />
      </div>
      <TypesField value={types} onInput={setTypes} errors={errors.types} />
      <ResourceField resource={resource} onChange={setResource} errors={errors} />
      <fieldset class="target">
        <legend>Deliver to</legend>
        <label class="check">
          <input
            type="radio"
            name="target"
            value="webhook"
            checked={target === 'webhook'}
            onChange={() => setTarget('webhook')}
          />
          One of my webhooks (signed with its secret)
        </label>
        <label class="check">
          <input type="radio" name="target" value="url" checked={target === 'url'} onChange={() => setTarget('url')} />
          Another URL
        </label>
        {target === 'webhook' ? (
          <Field label="Webhook" errors={errors.webhook_id ?? errors.webhook_url}>
            {(control) => (
              <select
                {...control}
                name="webhook_id"
                value={chosenWebhook}
                onChange={(e) => setWebhookId(e.currentTarget.value)}
              >
                {options.length === 0 ? <option value="">No webhook yet</option> : null}
                {options.map((webhook) => (
                  <option key={webhook.id} value={webhook.id}>
                    {webhook.description ? `${webhook.description} (${webhook.url})` : webhook.url}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : (
          <div class="form-row">
            <TextField
              label="URL"
              name="webhook_url"
              type="url"
              value={url}
              onInput={setUrl}
              errors={errors.webhook_url}
              placeholder="https://example.com/replay"
            />
            <TextField
              label="Signing secret"
              name="secret"
              type="password"
              value={secret}
              onInput={setSecret}
              errors={errors.secret}
              hint="At least 24 characters, or whsec_…"
            />
          </div>
        )}
      </fieldset>
      <div class="actions">
        <button type="button" class="button" onClick={countFirst}>
          Count events
        </button>
        <button type="submit" class="button button--primary" disabled={busy}>
          {busy ? 'Starting… (counting the range)' : 'Start replay'}
        </button>
      </div>
      {count ? (
        <p class="muted" role="status" data-precount>
          {count.value === undefined
            ? 'This API cannot count a range before a replay starts (no dry run yet): the count shows as the replay starts.'
            : `${formatCount(count.value)} events in this range.`}
        </p>
      ) : null}
    </form>
  );
}
