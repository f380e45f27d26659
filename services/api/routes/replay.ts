import { Type, type Static } from '@sinclair/typebox';
import type { Request, Response } from 'express';
import type { Admin, Kafka } from 'kafkajs';
import { NotFoundError, PlatformError, ValidationError, type ErrorDetail } from '../../../core/errors/index.js';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { topicForCategory } from '../../../core/events/categories.js';
import { newEventId } from '../../../core/events/ids.js';
import { parseTimestamp, formatTimestamp } from '../../../core/events/time.js';
import { resolveTypeFilter } from '../../../core/events/type-filter.js';
import type { KeyedState } from '../../../core/kafka/keyed-state.js';
import { publicReplay, TERMINAL, type ReplayRange, type ReplayState } from '../../replayer/model.js';
import { organizationOf } from '../http/auth.js';
import { defineRoute, type Route } from '../http/route.js';
import { idParameter, ref, resourceFilters, timestamp, typePatternList } from '../http/schemas.js';
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

const MIN_SECRET_LENGTH = 24;

/** The body of `POST /events/replay`. */
const createBodySchema = (catalog: EventCatalog) =>
  Type.Object(
    {
      since: timestamp('The start of the range (inclusive).'),
      until: timestamp('The end of the range (exclusive).'),
      types: Type.Optional(typePatternList(catalog, 'Type patterns of the events to replay (default every type).')),
      webhook_url: Type.Optional(
        Type.String({
          format: 'uri',
          description: 'Where to deliver (or webhook_id): one of your webhooks’ URLs, or any URL with a `secret`.',
          'x-message': 'must be an https URL',
        }),
      ),
      webhook_id: Type.Optional(Type.String({ description: 'One of your webhooks (wh_…): its URL and its secrets.' })),
      secret: Type.Optional(
        Type.String({
          minLength: MIN_SECRET_LENGTH,
          description:
            'The signing secret for a webhook_url that is not one of your webhooks’ (24+ characters, or whsec_…).',
        }),
      ),
      ...resourceFilters(),
    },
    { additionalProperties: false, 'x-unknown-field': 'is not a replay field' },
  );

type CreateReplayBody = Static<ReturnType<typeof createBodySchema>>;

/** `POST /events/replay`, `GET /events/replay`, `GET /events/replay/{id}`, `POST /events/replay/{id}/cancel`. */
export function replayRoutes(options: ReplayRoutesOptions): Route[] {
  const { catalog, kafka, store } = options;
  let admin: Admin | undefined;
  const connectedAdmin = async () => {
    if (!admin) {
      const candidate = kafka.admin();
      await candidate.connect();
      admin = candidate;
    }
    return admin;
  };

  const find = (req: Request, id: string): ReplayState => {
    const state = store.get(id);
    if (!state || state.organization_id !== organizationOf(req)) throw new NotFoundError(`Replay ${id.slice(0, 100)}`);
    return state;
  };

  // The body's shape is checked by its declaration (below); here, what depends on time and state.
  async function createReplay(body: CreateReplayBody, req: Request, res: Response) {
    const organizationId = organizationOf(req);
    const errors: ErrorDetail[] = [];

    // A range from before 1970 starts at the earliest event (Kafka's offsets by time start there).
    const sinceMs = Math.max(0, parseTimestamp(body.since)!);
    const untilMs = parseTimestamp(body.until);
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
      if (value !== undefined) filters[name] = value;
    }

    const typeResult = resolveTypeFilter(catalog, [...new Set(body.types ?? [])]);
    if (typeResult.errors) errors.push(...typeResult.errors);

    // The target and its signing secret: the webhook's own, else one given in the request.
    let target: { url: string; webhook_id: string | null } | undefined;
    let secrets: string[] = [];
    if (body.webhook_id !== undefined) {
      const webhook = options.findWebhook(organizationId, { id: body.webhook_id });
      if (!webhook) throw new NotFoundError(`Webhook ${body.webhook_id.slice(0, 100)}`);
      if (body.webhook_url !== undefined && body.webhook_url !== webhook.url)
        errors.push({ field: 'webhook_url', message: "differs from the webhook's URL; give one or the other" });
      target = { url: webhook.url, webhook_id: webhook.id };
      secrets = webhook.secrets;
    } else if (body.webhook_url !== undefined) {
      const problem = options.checkUrl(body.webhook_url);
      if (problem) errors.push({ field: 'webhook_url', message: problem });
      else {
        const webhook = options.findWebhook(organizationId, { url: body.webhook_url });
        target = { url: body.webhook_url, webhook_id: webhook?.id ?? null };
        if (webhook) secrets = webhook.secrets;
        else if (body.secret !== undefined) secrets = [body.secret];
        else
          errors.push({
            field: 'secret',
            message: `is required when webhook_url is not one of your webhooks' URLs: a signing secret of at least ${MIN_SECRET_LENGTH} characters (or whsec_…)`,
          });
      }
    } else {
      errors.push({ field: 'webhook_url', message: 'is required (or webhook_id): where to deliver the events' });
    }
    if (errors.length || !target || !typeResult.filter || sinceMs === undefined || untilMs === undefined)
      throw new ValidationError('The replay request is invalid', errors);

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
  }

  const replayId = Type.Object({ replay_id: idParameter('The replay (rpl_…).') });
  const notFound = 'No such replay in your organization';

  const create = defineRoute({
    method: 'post',
    path: '/events/replay',
    summary: 'Replay a time range of past events to a webhook URL',
    description:
      "Reads the category topics from the offsets of `since` to those of `until` and delivers the matching events (once per id, in order per resource) with the webhook signature headers and `rg-replay-id`. The signing secret is the webhook's own when `webhook_id` or `webhook_url` names one of your webhooks, else the `secret` given.",
    body: createBodySchema(catalog),
    responses: {
      202: { description: 'Accepted: the replay, counted when the count came in time', schema: ref('Replay') },
      404: 'No such webhook_id in your organization',
      503: 'Kafka is unreachable; retry later',
    },
    handler: ({ body }, req, res) => createReplay(body, req, res),
  });

  const list = defineRoute({
    method: 'get',
    path: '/events/replay',
    summary: "The organization's replays, newest first (the latest 100)",
    responses: {
      200: {
        description: 'Replays',
        schema: Type.Object({ data: Type.Array(ref('Replay')), has_more: Type.Boolean(), next_cursor: Type.Null() }),
      },
    },
    handler(_input, req, res) {
      const organizationId = organizationOf(req);
      const replays = [...store.values()]
        .filter((state) => state.organization_id === organizationId)
        .sort((a, b) => b.created_at.localeCompare(a.created_at));
      res.json({ data: replays.slice(0, 100).map(publicReplay), has_more: replays.length > 100, next_cursor: null });
    },
  });

  const get = defineRoute({
    method: 'get',
    path: '/events/replay/{replay_id}',
    summary: 'Replay status and progress',
    params: replayId,
    responses: { 200: { description: 'The replay', schema: ref('Replay') }, 404: notFound },
    handler({ params }, req, res) {
      res.json(publicReplay(find(req, params.replay_id)));
    },
  });

  const cancel = defineRoute({
    method: 'post',
    path: '/events/replay/{replay_id}/cancel',
    summary: 'Cancel a replay',
    params: replayId,
    responses: {
      202: {
        description: 'Cancelling: the worker stops at the next event',
        schema: ref('Replay'),
      },
      404: notFound,
      409: 'The replay has already finished (conflict)',
    },
    async handler({ params }, req, res) {
      const state = find(req, params.replay_id);
      if (TERMINAL.includes(state.status)) throw new PlatformError('conflict', `The replay is already ${state.status}`);
      await store.put(state.id, { ...state, cancel_requested: true, updated_at: formatTimestamp(Date.now()) });
      res.status(202).json({ ...publicReplay(state), cancel_requested: true });
    },
  });

  return [create, list, get, cancel];
}
