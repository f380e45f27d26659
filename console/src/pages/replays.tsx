import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, failureMessage } from '../api/client.js';
import { countReplayRange } from '../api/replay-count.js';
import { RESOURCE_FILTERS, type Page, type Replay, type Webhook } from '../api/types.js';
import { errorsByField } from '../lib/field-errors.js';
import { formatCount, formatDuration, formatTime } from '../lib/format.js';
import { replayProgress } from '../lib/progress.js';
import { href, path } from '../lib/router.js';
import { fromLocalInput, toLocalInput } from '../lib/time-range.js';
import { useLoad } from '../ui/async.js';
import { Field, FormErrors, formMessages, TextField, TimeBoundsFields } from '../ui/field.js';
import { ResourceField, resourceOf, TypesField } from '../ui/filters.js';
import { ProgressBar } from '../ui/progress-bar.js';
import { Time } from '../ui/time.js';

const FIELDS = ['since', 'until', 'types', 'webhook_url', 'webhook_id', 'secret', ...RESOURCE_FILTERS];
const TERMINAL = ['completed', 'failed', 'cancelled'];

function ReplayForm({ query, onStarted }: { query: Record<string, string>; onStarted: (replay: Replay) => void }) {
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

function ReplayRow({
  replay,
  previous,
  onCancel,
}: {
  replay: Replay;
  previous?: { done: number; atMs: number };
  onCancel: () => void;
}) {
  const progress = replayProgress(replay, previous);
  const finished = TERMINAL.includes(replay.status);
  return (
    <li class="replay" data-replay-id={replay.id} data-status={replay.status}>
      <div class="replay__head">
        <span class={`badge badge--${replay.status}`}>{replay.status}</span>
        <code>{replay.id}</code>
        <span class="muted">
          →{' '}
          {replay.webhook_id ? (
            <a href={href(path('webhooks', replay.webhook_id))}>{replay.webhook_url}</a>
          ) : (
            replay.webhook_url
          )}
        </span>
        {!finished ? (
          <button
            type="button"
            class="button button--small replay__cancel"
            onClick={onCancel}
            disabled={replay.cancel_requested === true}
          >
            {replay.cancel_requested ? 'Cancelling…' : 'Cancel'}
          </button>
        ) : null}
      </div>
      <ProgressBar
        percent={progress.percent}
        label={`Replay ${replay.id} progress`}
        tone={replay.status === 'failed' || replay.failed > 0 ? 'warning' : replay.status === 'completed' ? 'done' : ''}
      />
      <p class="replay__figures">
        <span data-delivered>{formatCount(replay.delivered)} delivered</span>
        <span data-failed>{formatCount(replay.failed)} failed</span>
        <span data-total>of {replay.total === null ? 'counting…' : formatCount(replay.total)}</span>
        <span>
          {progress.percent === null ? '' : `${progress.percent.toFixed(progress.percent === 100 ? 0 : 1)} %`}
        </span>
        <span>{progress.ratePerSecond === null ? '' : `${progress.ratePerSecond.toFixed(1)} events/s`}</span>
        <span>{progress.etaSeconds === null ? '' : `ETA ${formatDuration(progress.etaSeconds * 1000)}`}</span>
      </p>
      <p class="muted small">
        {replay.since && replay.until ? `${formatTime(replay.since)} → ${formatTime(replay.until)}` : ''}
        {replay.types?.length ? ` · ${replay.types.join(', ')}` : ''} · created <Time iso={replay.created_at} />
      </p>
      {replay.error ? <p class="notice notice--error">{replay.error}</p> : null}
    </li>
  );
}

/** Start a replay, and follow every replay's progress (cancel those still running). */
export function ReplaysPage({ query }: { query: Record<string, string> }) {
  const [list, reload] = useLoad((signal) => api<Page<Replay>>('GET', '/events/replay', { signal }), []);
  const [started, setStarted] = useState<Replay | null>(null);
  const samples = useRef(
    new Map<string, { current: { done: number; atMs: number }; previous?: { done: number; atMs: number } }>(),
  );
  const replays = list.value?.data ?? [];
  const active = replays.some((replay) => !TERMINAL.includes(replay.status));

  for (const replay of replays) {
    const done = replay.delivered + replay.failed;
    const sample = samples.current.get(replay.id);
    if (!sample || sample.current.done !== done)
      samples.current.set(replay.id, {
        current: { done, atMs: Date.now() },
        ...(sample ? { previous: sample.current } : {}),
      });
  }

  useEffect(() => {
    const timer = setInterval(reload, active ? 1000 : 5000);
    return () => clearInterval(timer);
  }, [active, reload]);

  return (
    <section>
      <h1>Replays</h1>
      <section class="panel">
        <h2>New replay</h2>
        <p class="muted">Delivers the past events of a time range again, signed, to a webhook or a URL.</p>
        <ReplayForm
          query={query}
          onStarted={(replay) => {
            setStarted(replay);
            reload();
          }}
        />
        {started ? (
          <p class="notice notice--success" role="status" data-started>
            Replay <code>{started.id}</code> started:{' '}
            {started.event_count === null
              ? 'still counting the events of the range'
              : `${formatCount(started.event_count)} events to deliver`}
            .
          </p>
        ) : null}
      </section>
      <section class="panel">
        <h2>Replays</h2>
        {list.state === 'failed' ? <p class="notice notice--error">{failureMessage(list.error)}</p> : null}
        {replays.length === 0 ? (
          <p class="muted">{list.state === 'loading' && !list.value ? 'Loading…' : 'No replay yet.'}</p>
        ) : (
          <ul class="replays">
            {replays.map((replay) => (
              <ReplayRow
                key={replay.id}
                replay={replay}
                {...(samples.current.get(replay.id)?.previous
                  ? { previous: samples.current.get(replay.id)!.previous! }
                  : {})}
                onCancel={() =>
                  void api('POST', `/events/replay/${encodeURIComponent(replay.id)}/cancel`).then(reload, reload)
                }
              />
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
