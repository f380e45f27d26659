import { Router, type Request } from 'express';
import { PlatformError, ValidationError, type ErrorDetail } from '../../../core/errors/index.js';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { newEventId } from '../../../core/events/ids.js';
import { formatTimestamp } from '../../../core/events/time.js';
import { resolveTypeFilter } from '../../../core/events/type-filter.js';
import {
  activeSecrets,
  generateSecret,
  newWebhookId,
  publicWebhook,
  rotatedSecrets,
  secretProblem,
  type WebhookSubscription,
} from '../../../core/webhooks/model.js';
import type { Send } from '../../../core/webhooks/retry.js';
import { signatureHeaders } from '../../../core/webhooks/signature.js';
import type { WebhookStore } from '../../../core/webhooks/store.js';
import { checkWebhookUrl } from '../../../core/webhooks/url-policy.js';
import { organizationOf } from '../http/auth.js';
import { requireJson } from '../http/content-type.js';

export interface WebhookRoutesOptions {
  catalog: EventCatalog;
  store: WebhookStore;
  /** Sends the test delivery (the hardened HTTP sender). */
  send: Send;
  /** Let URLs be http: or point at private addresses (RG_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivate: boolean;
  /** How long a rotated-out secret keeps signing, in ms. */
  secretGraceMs: number;
  /** Most webhooks per organization. */
  maxPerOrganization: number;
}

const CREATE_FIELDS = new Set(['url', 'events', 'secret', 'description']);
const UPDATE_FIELDS = new Set(['url', 'events', 'description', 'enabled']);
const MAX_PATTERNS = 100;
const MAX_DESCRIPTION_LENGTH = 1000;
/** The `type` of the body that `POST /webhooks/{id}/test` sends; never published, never in history. */
export const TEST_EVENT_TYPE = 'webhook.test';

type Fields = Partial<Pick<WebhookSubscription, 'url' | 'events' | 'description' | 'enabled'>>;

function objectBody(req: Request): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new ValidationError('The body must be a JSON object', [{ field: 'body', message: 'must be an object' }]);
  return body as Record<string, unknown>;
}

/** Validates the writable fields present in `body`; throws one error naming every bad field. */
function readFields(
  body: Record<string, unknown>,
  allowed: Set<string>,
  options: Pick<WebhookRoutesOptions, 'catalog' | 'allowPrivate'>,
  errors: ErrorDetail[],
): Fields {
  errors.push(
    ...Object.keys(body)
      .filter((key) => !allowed.has(key))
      .map((field) => ({
        field,
        message:
          field === 'secret' ? 'cannot be updated: use POST /webhooks/{id}/rotate-secret' : 'is not a webhook field',
      })),
  );
  const fields: Fields = {};
  let unknownType = false;
  if ('url' in body) {
    const problem = checkWebhookUrl(body.url, { allowPrivate: options.allowPrivate });
    if (problem) errors.push({ field: 'url', message: problem });
    else fields.url = body.url as string;
  }
  if ('events' in body) {
    const events = body.events;
    if (!Array.isArray(events) || events.some((item) => typeof item !== 'string'))
      errors.push({
        field: 'events',
        message: 'must be an array of event type patterns (e.g. ["session.completed", "agent.*"])',
      });
    else if (events.length === 0)
      errors.push({ field: 'events', message: 'must hold at least one event type pattern (`*` for every type)' });
    else if (events.length > MAX_PATTERNS)
      errors.push({ field: 'events', message: `must hold at most ${MAX_PATTERNS} patterns` });
    else {
      const patterns = [...new Set((events as string[]).map((item) => item.trim()))];
      const resolved = resolveTypeFilter(options.catalog, patterns, 'events');
      if (resolved.errors) {
        errors.push(...resolved.errors);
        unknownType = resolved.unknownType;
      } else fields.events = patterns;
    }
  }
  if ('description' in body) {
    const { description } = body;
    if (description !== null && (typeof description !== 'string' || description.length > MAX_DESCRIPTION_LENGTH))
      errors.push({
        field: 'description',
        message: `must be a string of at most ${MAX_DESCRIPTION_LENGTH} characters, or null`,
      });
    else fields.description = description === '' ? null : (description as string | null);
  }
  if ('enabled' in body) {
    if (typeof body.enabled !== 'boolean') errors.push({ field: 'enabled', message: 'must be true or false' });
    else fields.enabled = body.enabled;
  }
  if (errors.length) {
    // An unknown type alone answers `unknown_event_type`; anything else wrong makes it `invalid_request`.
    const onlyTypes = unknownType && errors.every((error) => error.field.startsWith('events'));
    throw new ValidationError('The webhook is invalid', errors, onlyTypes ? 'unknown_event_type' : 'invalid_request');
  }
  return fields;
}

/**
 * The webhook subscriptions API: `POST/GET /webhooks`, `GET/PATCH/DELETE /webhooks/{id}`,
 * `POST /webhooks/{id}/rotate-secret`, `POST /webhooks/{id}/test`. Another organization's webhook
 * answers 404 like a missing one. Secrets appear only in the answers of create and rotate.
 */
export function webhookRoutes(options: WebhookRoutesOptions): Router {
  const { store } = options;
  const router = Router();

  const find = (req: Request): WebhookSubscription => {
    const id = String(req.params.id);
    const subscription = store.get(id);
    if (!subscription || subscription.organization_id !== organizationOf(req)) {
      throw new PlatformError('not_found', `Webhook ${id.slice(0, 100)} was not found`, {
        details: [{ field: 'webhook_id', message: 'no such webhook in this organization' }],
      });
    }
    return subscription;
  };

  router.post('/webhooks', requireJson, async (req, res) => {
    const organizationId = organizationOf(req);
    const body = objectBody(req);
    const errors: ErrorDetail[] = [];
    if (!('url' in body)) errors.push({ field: 'url', message: 'is required: the https URL to deliver to' });
    if (!('events' in body))
      errors.push({ field: 'events', message: 'is required: the event type patterns to deliver (e.g. ["session.*"])' });
    if ('secret' in body) {
      const problem = secretProblem(body.secret);
      if (problem) errors.push({ field: 'secret', message: problem });
    }
    const fields = readFields(body, CREATE_FIELDS, options, errors);
    if (store.list(organizationId).length >= options.maxPerOrganization) {
      throw new PlatformError(
        'limit_reached',
        `The organization has ${options.maxPerOrganization} webhooks, the most allowed`,
        {
          details: [
            { field: 'webhooks', message: `at most ${options.maxPerOrganization} per organization; delete one first` },
          ],
        },
      );
    }
    const nowMs = Date.now();
    const secret = typeof body.secret === 'string' ? body.secret : generateSecret();
    const subscription: WebhookSubscription = {
      id: newWebhookId(nowMs),
      organization_id: organizationId,
      url: fields.url!,
      events: fields.events!,
      description: fields.description ?? null,
      enabled: true,
      disabled_reason: null,
      secrets: [{ secret, expires_at_ms: null }],
      created_at_ms: nowMs,
      updated_at_ms: nowMs,
    };
    await store.put(subscription);
    res
      .status(201)
      .location(`/api/v1/webhooks/${subscription.id}`)
      .json({ ...publicWebhook(subscription), secret });
  });

  router.get('/webhooks', (req, res) => {
    res.json({ data: store.list(organizationOf(req)).map(publicWebhook), has_more: false, next_cursor: null });
  });

  router.get('/webhooks/:id', (req, res) => {
    res.json(publicWebhook(find(req)));
  });

  router.patch('/webhooks/:id', requireJson, async (req, res) => {
    const existing = find(req);
    const fields = readFields(objectBody(req), UPDATE_FIELDS, options, []);
    if (Object.keys(fields).length === 0) return void res.json(publicWebhook(existing));
    // Spread the stored record: fields the dispatcher keeps on it survive an update.
    const updated: WebhookSubscription = { ...existing, ...fields, updated_at_ms: Date.now() };
    // Enabling clears why the platform disabled it; disabling by hand has no platform reason.
    if (fields.enabled !== undefined) updated.disabled_reason = null;
    await store.put(updated);
    res.json(publicWebhook(updated));
  });

  router.delete('/webhooks/:id', async (req, res) => {
    await store.delete(find(req).id);
    res.status(204).end();
  });

  router.post('/webhooks/:id/rotate-secret', async (req, res) => {
    const existing = find(req);
    // An optional body `{"secret": "..."}` chooses the new secret; without one it is generated.
    const body: unknown = req.body;
    const given =
      typeof body === 'object' && body !== null && !Array.isArray(body)
        ? (body as Record<string, unknown>).secret
        : undefined;
    if (given !== undefined) {
      const problem =
        secretProblem(given) ??
        (existing.secrets.some((s) => s.secret === given) ? 'must differ from the secrets in use' : undefined);
      if (problem) throw new ValidationError('The new secret is invalid', [{ field: 'secret', message: problem }]);
    }
    const nowMs = Date.now();
    const secret = typeof given === 'string' ? given : generateSecret();
    const updated: WebhookSubscription = {
      ...existing,
      secrets: rotatedSecrets(existing, secret, nowMs, options.secretGraceMs),
      updated_at_ms: nowMs,
    };
    await store.put(updated);
    const previousExpiry = updated.secrets[1]?.expires_at_ms;
    res.json({
      ...publicWebhook(updated),
      secret,
      previous_secret_expires_at: previousExpiry ? formatTimestamp(previousExpiry) : null,
    });
  });

  router.post('/webhooks/:id/test', async (req, res) => {
    const subscription = find(req);
    const nowMs = Date.now();
    const event = {
      id: newEventId(nowMs),
      type: TEST_EVENT_TYPE,
      created_at: formatTimestamp(nowMs),
      data: {
        webhook_id: subscription.id,
        url: subscription.url,
        message: 'A test delivery: the endpoint is reachable and can check the signature.',
      },
      metadata: { organization_id: subscription.organization_id, user_id: null, request_id: null },
    };
    const body = JSON.stringify(event);
    const headers = signatureHeaders(activeSecrets(subscription, nowMs), event.id, body, nowMs);
    const started = performance.now();
    const result = await options.send({ url: subscription.url, body, headers }, AbortSignal.timeout(60_000));
    res.json({
      event_id: event.id,
      delivered: result.ok,
      status_code: result.status ?? null,
      duration_ms: Math.round(performance.now() - started),
      error: result.ok ? null : (result.error ?? null),
    });
  });

  return router;
}
