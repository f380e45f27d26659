import { Router, type Request } from 'express';
import type { Admin, Kafka } from 'kafkajs';
import { NotFoundError, PlatformError, ValidationError, type ErrorDetail } from '../../../core/errors/index.js';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { topicForCategory } from '../../../core/events/categories.js';
import { newEventId } from '../../../core/events/ids.js';
import { parseTimestamp, formatTimestamp } from '../../../core/events/time.js';
import { resolveTypeFilter, splitPatterns } from '../../../core/events/type-filter.js';
import type { KeyedState } from '../../../core/kafka/keyed-state.js';
import { publicReplay, TERMINAL, type ReplayRange, type ReplayState } from '../../replayer/model.js';
import { organizationOf } from '../http/auth.js';
import { requireJson } from '../http/content-type.js';
import { RESOURCE_FILTERS } from '../../../core/events/resources.js';

/** A webhook of the organization, as the replay needs it (its URL and active signing secrets). */
export interface ReplayWebhook {
  id: string;
  url: string;
  secrets: string[];
}

export interface ReplayRoutesOptions {
  catalog: EventCatalog;
  kafka: Kafka;
  store: KeyedState<ReplayState>;
  /** How long POST waits for the worker's count, in ms. */
  countWaitMs: number;
  /** Kafka's retention of events, in ms (a range wholly before it is refused). */
  retentionMs: number;
  /** The organization's webhook by id or by URL. */
  findWebhook: (organizationId: string, by: { id?: string; url?: string }) => ReplayWebhook | undefined;
  /** Why a URL may not be a delivery target (the webhook URL rules), or undefined when it may. */
  checkUrl: (url: string) => string | undefined;
  /** The replay worker pool (consumer group) that runs the replays created here. */
  workerGroup: string;
}

const FIELDS = new Set([
  'since',
  'until',
  'types',
  'webhook_url',
  'webhook_id',
  'secret',
  'agent_id',
  'session_id',
  'team_id',
  'user_id',
]);
const MIN_SECRET_LENGTH = 24;

/** `POST /events/replay`, `GET /events/replay`, `GET /events/replay/{id}`, `POST /events/replay/{id}/cancel`. */
export function replayRoutes(options: ReplayRoutesOptions): Router {
  const { catalog, kafka, store } = options;
  const router = Router();
  let admin: Admin | undefined;
  const connectedAdmin = async () => {
    if (!admin) {
      const candidate = kafka.admin();
      await candidate.connect();
      admin = candidate;
    }
    return admin;
  };

  const find = (req: Request): ReplayState => {
    const state = store.get(String(req.params.id));
    if (!state || state.organization_id !== organizationOf(req))
      throw new NotFoundError(`Replay ${String(req.params.id).slice(0, 100)}`);
    return state;
  };

  router.post('/events/replay', requireJson, async (req, res) => {
    const organizationId = organizationOf(req);
    const body = req.body as Record<string, unknown>;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new ValidationError('The body must be a JSON object', [{ field: 'body', message: 'must be an object' }]);
    const errors: ErrorDetail[] = Object.keys(body)
      .filter((key) => !FIELDS.has(key))
      .map((field) => ({ field, message: 'is not a replay field' }));

    const sinceMs = typeof body.since === 'string' ? parseTimestamp(body.since) : undefined;
    const untilMs = typeof body.until === 'string' ? parseTimestamp(body.until) : undefined;
    if (sinceMs === undefined)
      errors.push({ field: 'since', message: 'is required: an RFC 3339 timestamp (inclusive)' });
    if (untilMs === undefined)
      errors.push({ field: 'until', message: 'is required: an RFC 3339 timestamp (exclusive)' });
    if (sinceMs !== undefined && untilMs !== undefined) {
      if (sinceMs >= untilMs) errors.push({ field: 'until', message: 'must be after since' });
      else if (untilMs <= Date.now() - options.retentionMs)
        errors.push({
          field: 'until',
          message: `the range is wholly older than the retention of ${Math.round(options.retentionMs / 3_600_000)} h`,
        });
      else if (sinceMs > Date.now()) errors.push({ field: 'since', message: 'is in the future' });
    }

    const filters: Record<string, string> = {};
    for (const name of RESOURCE_FILTERS) {
      const value = body[name];
      if (value === undefined) continue;
      if (typeof value !== 'string' || value === '' || value.length > 256)
        errors.push({ field: name, message: 'must be a non-empty string of at most 256 characters' });
      else filters[name] = value;
    }

    if (body.types !== undefined && !Array.isArray(body.types) && typeof body.types !== 'string')
      errors.push({ field: 'types', message: 'must be an array of type patterns' });
    const typeResult = resolveTypeFilter(catalog, splitPatterns(body.types));
    if (typeResult.errors) errors.push(...typeResult.errors);

    // The target and its signing secret: the webhook's own, else one given in the request.
    let target: { url: string; webhook_id: string | null } | undefined;
    let secrets: string[] = [];
    if (body.webhook_id !== undefined) {
      const webhook =
        typeof body.webhook_id === 'string' ? options.findWebhook(organizationId, { id: body.webhook_id }) : undefined;
      if (!webhook) throw new NotFoundError(`Webhook ${String(body.webhook_id).slice(0, 100)}`);
      if (body.webhook_url !== undefined && body.webhook_url !== webhook.url)
        errors.push({ field: 'webhook_url', message: "differs from the webhook's URL; give one or the other" });
      target = { url: webhook.url, webhook_id: webhook.id };
      secrets = webhook.secrets;
    } else if (typeof body.webhook_url === 'string') {
      const problem = options.checkUrl(body.webhook_url);
      if (problem) errors.push({ field: 'webhook_url', message: problem });
      else {
        const webhook = options.findWebhook(organizationId, { url: body.webhook_url });
        target = { url: body.webhook_url, webhook_id: webhook?.id ?? null };
        if (webhook) secrets = webhook.secrets;
        else if (typeof body.secret === 'string' && body.secret.length >= MIN_SECRET_LENGTH) secrets = [body.secret];
        else
          errors.push({
            field: 'secret',
            message: `is required when webhook_url is not one of your webhooks' URLs: a signing secret of at least ${MIN_SECRET_LENGTH} characters (or whsec_…)`,
          });
      }
    } else {
      errors.push({ field: 'webhook_url', message: 'is required (or webhook_id): where to deliver the events' });
    }
    if (errors.length || !target || !typeResult.filter) {
      throw new ValidationError(
        'The replay request is invalid',
        errors,
        typeResult.unknownType ? 'unknown_event_type' : 'invalid_request',
      );
    }

    // Freeze the records to consider: per partition, [first offset at since, first offset at until).
    const kafkaAdmin = await connectedAdmin();
    const ranges: ReplayRange[] = [];
    for (const category of typeResult.filter.categories) {
      const topic = topicForCategory(category);
      const [starts, ends] = await Promise.all([
        kafkaAdmin.fetchTopicOffsetsByTimestamp(topic, sinceMs),
        kafkaAdmin.fetchTopicOffsetsByTimestamp(topic, untilMs),
      ]);
      for (const { partition, offset } of starts) {
        const end = ends.find((e) => e.partition === partition)?.offset ?? offset;
        if (BigInt(offset) < BigInt(end)) ranges.push({ topic, partition, start: offset, end });
      }
    }

    const now = formatTimestamp(Date.now());
    const state: ReplayState = {
      id: newEventId().replace('evt_', 'rpl_'),
      organization_id: organizationId,
      status: 'pending',
      since: formatTimestamp(sinceMs!),
      until: formatTimestamp(untilMs!),
      types: typeResult.filter.patterns as string[],
      filters,
      target,
      secrets,
      ranges,
      positions: {},
      total: ranges.length === 0 ? 0 : null,
      delivered: 0,
      failed: 0,
      scanned: 0,
      created_at: now,
      started_at: null,
      finished_at: ranges.length === 0 ? now : null,
      updated_at: now,
      error: null,
      cancel_requested: false,
      worker_group: options.workerGroup,
    };
    if (ranges.length === 0) state.status = 'completed';
    await store.put(state.id, state);

    // The worker counts what it will deliver first; wait a little for that figure.
    const deadline = Date.now() + options.countWaitMs;
    while ((store.get(state.id)?.total ?? null) === null && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 50));
    res.status(202).json(publicReplay(store.get(state.id) ?? state));
  });

  router.get('/events/replay', (req, res) => {
    const organizationId = organizationOf(req);
    const replays = [...store.values()]
      .filter((state) => state.organization_id === organizationId)
      .sort((a, b) => b.created_at.localeCompare(a.created_at));
    res.json({ data: replays.slice(0, 100).map(publicReplay), has_more: replays.length > 100, next_cursor: null });
  });

  router.get('/events/replay/:id', (req, res) => {
    res.json(publicReplay(find(req)));
  });

  router.post('/events/replay/:id/cancel', async (req, res) => {
    const state = find(req);
    if (TERMINAL.includes(state.status)) throw new PlatformError('conflict', `The replay is already ${state.status}`);
    await store.put(state.id, { ...state, cancel_requested: true, updated_at: formatTimestamp(Date.now()) });
    res.status(202).json({ ...publicReplay(state), cancel_requested: true });
  });

  return router;
}
