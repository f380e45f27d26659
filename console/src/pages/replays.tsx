import { useEffect, useRef, useState } from 'preact/hooks';
import { api, failureMessage } from '../api/client.js';
import type { Page, Replay } from '../api/types.js';
import { formatCount, formatDuration, formatTime } from '../lib/format.js';
import { replayProgress } from '../lib/progress.js';
import { href, path } from '../lib/router.js';
import { useLoad } from '../ui/async.js';
import { ProgressBar } from '../ui/progress-bar.js';
import { Time } from '../ui/time.js';
import { ReplayForm } from './replay-form.js';

const TERMINAL = ['completed', 'failed', 'cancelled'];

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
