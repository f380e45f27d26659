import { useEffect } from 'preact/hooks';
import { api, failureMessage } from '../api/client.js';
import { loadCategoryStats, type StatsWindow } from '../api/stats.js';
import type { Overview } from '../api/types.js';
import { formatCount, formatDuration, formatPercent } from '../lib/format.js';
import { href, path } from '../lib/router.js';
import { useLoad } from '../ui/async.js';
import { TimeChart } from '../ui/chart.js';
import { Time } from '../ui/time.js';
import { DataTable } from '../ui/table.js';

const REFRESH_MS = 10_000;
const CATEGORY_COLORS: Record<string, number> = {
  agent: 0,
  session: 1,
  team: 2,
  webhook: 3,
  user: 4,
  billing: 5,
  system: 6,
};

function Figure({ label, value, detail, tone }: { label: string; value: string; detail?: string; tone?: string }) {
  return (
    <div class={`figure ${tone ? `figure--${tone}` : ''}`}>
      <dt>{label}</dt>
      <dd>
        <span class="figure__value">{value}</span>
        {detail ? <span class="figure__detail">{detail}</span> : null}
      </dd>
    </div>
  );
}

/** One of the two stacked charts of events by category (from the statistics API). */
function CategoryChart({ title, window }: { title: string; window: () => StatsWindow }) {
  const [stats] = useLoad(() => loadCategoryStats(window()), []);
  const body = (() => {
    if (stats.state === 'failed') return <p class="notice notice--error">{failureMessage(stats.error)}</p>;
    if (stats.state === 'loading' && !stats.value) return <p class="muted">Loading…</p>;
    const value = stats.value;
    if (!value)
      return (
        <p class="chart-placeholder" data-chart-pending>
          This chart needs the statistics API (<code>GET /api/v1/events/stats</code>), which this API does not offer
          yet. The live arrival rate is on the <a href="#/live">Live</a> page.
        </p>
      );
    // uPlot paints in order: the tallest edge first, each group below painted over it.
    const order = value.groups.map((_, i) => i).reverse();
    return (
      <TimeChart
        label={title}
        stacked
        data={[value.xs, ...order.map((i) => value.tops[i]!)]}
        series={order.map((i) => ({
          label: value.groups[i]!,
          color: CATEGORY_COLORS[value.groups[i]!] ?? i,
          raw: value.raw[i]!,
        }))}
      />
    );
  })();
  return (
    <section class="panel">
      <h2>{title}</h2>
      {body}
    </section>
  );
}

export function OverviewPage() {
  const [overview, reload] = useLoad((signal) => api<Overview>('GET', '/overview', { signal }), []);
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  const data = overview.value;
  const deliveries = data?.deliveries;
  const rate = deliveries?.success_rate ?? null;

  return (
    <section>
      <h1>Overview</h1>
      {overview.state === 'failed' ? (
        <p class="notice notice--error" role="alert">
          {failureMessage(overview.error)}
        </p>
      ) : null}
      <dl class="figures" aria-busy={overview.state === 'loading'}>
        <Figure label="Events, last hour" value={formatCount(data?.events.last_hour)} />
        <Figure label="Events, last 24 h" value={formatCount(data?.events.last_day)} />
        <Figure
          label="Delivery success, 24 h"
          value={formatPercent(rate)}
          detail={
            deliveries ? `${formatCount(deliveries.delivered)} of ${formatCount(deliveries.attempts)} attempts` : ''
          }
          tone={rate === null ? '' : rate >= 0.99 ? 'good' : rate >= 0.9 ? 'warning' : 'bad'}
        />
        <Figure
          label="Sink lag"
          value={data ? (data.sink.lag === null ? 'unknown' : `${formatCount(data.sink.lag)} records`) : '–'}
          detail={
            data?.sink.lag === 0 ? 'caught up' : data?.sink.lag === null ? 'Kafka did not answer' : 'still to store'
          }
          tone={data?.sink.lag === null ? 'warning' : (data?.sink.lag ?? 0) > 10_000 ? 'warning' : ''}
        />
        <Figure
          label="History freshness"
          value={
            data?.sink.freshness_seconds === null || !data
              ? '–'
              : formatDuration((data.sink.freshness_seconds ?? 0) * 1000)
          }
          detail={data?.sink.newest_event_at ? 'since the newest stored event' : 'no event stored in 24 h'}
        />
      </dl>

      <div class="grid-2">
        <CategoryChart
          title="Events per minute, last hour"
          window={() => ({ interval: '1m', sinceMs: Date.now() - 3_600_000 })}
        />
        <CategoryChart
          title="Events per hour, last day"
          window={() => ({ interval: '1h', sinceMs: Date.now() - 86_400_000 })}
        />
      </div>

      <section class="panel">
        <h2>Failing webhooks</h2>
        {!deliveries ? (
          <p class="muted">Loading…</p>
        ) : deliveries.failing_webhooks.length === 0 ? (
          <p class="muted" data-empty>
            No webhook's latest attempt failed in the last 24 hours.
          </p>
        ) : (
          <DataTable
            columns={[
              'Webhook',
              'Last error',
              'Status',
              'Last attempt',
              'Next retry',
              { label: 'Failed attempts', numeric: true },
            ]}
          >
            {deliveries.failing_webhooks.map((webhook) => (
              <tr key={webhook.webhook_id}>
                <td>
                  <a href={href(path('webhooks', webhook.webhook_id))}>{webhook.description ?? webhook.url}</a>
                  <div class="muted small">{webhook.url}</div>
                </td>
                <td>{webhook.last_error ?? '–'}</td>
                <td>
                  <span class={`badge badge--${webhook.last_state}`}>{webhook.last_state}</span>{' '}
                  {webhook.last_status_code ?? ''}
                </td>
                <td>
                  <Time iso={webhook.last_attempt_at} />
                </td>
                <td>{webhook.next_retry_at ? <Time iso={webhook.next_retry_at} /> : 'none'}</td>
                <td class="num">
                  {formatCount(webhook.failed_attempts)} / {formatCount(webhook.attempts)}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </section>
  );
}
