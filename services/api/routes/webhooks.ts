import { Type } from '@sinclair/typebox';
import type { Request } from 'express';
import { PlatformError, ValidationError, type ErrorDetail } from '../../../core/errors/index.js';
import type { EventCatalog } from '../../../core/events/catalog.js';
import { newEventId } from '../../../core/events/ids.js';
import { formatTimestamp } from '../../../core/events/time.js';
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
import { checkWebhookUrl, MAX_WEBHOOK_URL_LENGTH } from '../../../core/webhooks/url-policy.js';
import { organizationOf } from '../http/auth.js';
import { defineRoute, type Route } from '../http/route.js';
import { idParameter, nullable, ref, typePatternList } from '../http/schemas.js';

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

const MAX_DESCRIPTION_LENGTH = 1000;
/** The `type` of the body that `POST /webhooks/{id}/test` sends; never published, never in history. */
export const TEST_EVENT_TYPE = 'webhook.test';

/** The webhook fields a request may write. */
function fieldSchemas(catalog: EventCatalog) {
  return {
    url: Type.String({
      format: 'uri',
      maxLength: MAX_WEBHOOK_URL_LENGTH,
      description: 'The https URL to deliver to.',
      'x-message': 'must be an https URL',
      examples: ['https://example.com/webhook'],
    }),
    events: typePatternList(catalog, 'The event type patterns to deliver (e.g. ["session.*"]).', {
      minItems: 1,
      'x-message': 'must be a list of 1 to 100 event type patterns (e.g. ["session.completed", "agent.*"], or ["*"])',
    }),
    description: nullable(Type.String({ maxLength: MAX_DESCRIPTION_LENGTH, description: 'A note for people.' })),
  };
}

const secretSchema = Type.String({
  minLength: 24,
  maxLength: 256,
  // No control characters, no space at either end (the rest of the rule, whsec_'s byte count, is checked after).
  pattern: '^[^\\u0000-\\u001f\\u007f\\s](?:[^\\u0000-\\u001f\\u007f]*[^\\u0000-\\u001f\\u007f\\s])?$',
  description:
    '`whsec_` + base64 of 24–64 bytes, or any other string of 24–256 characters (its UTF-8 bytes are the key). Generated (`whsec_` + 32 random bytes) when omitted.',
  'x-message': 'must be whsec_ + base64 of 24 to 64 bytes, or a string of 24 to 256 characters',
});

const webhookId = Type.Object({ webhook_id: idParameter('The webhook (wh_…).') });

/** The URL rules and the patterns' normalization, once the fields have the right shape. */
function checkFields(
  body: { url?: string; events?: string[] },
  options: Pick<WebhookRoutesOptions, 'allowPrivate'>,
  errors: ErrorDetail[],
): void {
  if (body.url !== undefined) {
    const problem = checkWebhookUrl(body.url, { allowPrivate: options.allowPrivate });
    if (problem) errors.push({ field: 'url', message: problem });
  }
  if (body.events !== undefined) body.events = [...new Set(body.events)];
}

/**
 * The webhook subscriptions API: `POST/GET /webhooks`, `GET/PATCH/DELETE /webhooks/{id}`,
 * `POST /webhooks/{id}/rotate-secret`, `POST /webhooks/{id}/test`. Another organization's webhook
 * answers 404 like a missing one. Secrets appear only in the answers of create and rotate.
 */
export function webhookRoutes(options: WebhookRoutesOptions): Route[] {
  const { store, catalog } = options;
  const fields = fieldSchemas(catalog);

  const find = (req: Request, id: string): WebhookSubscription => {
    const subscription = store.get(id);
    if (!subscription || subscription.organization_id !== organizationOf(req)) {
      throw new PlatformError('not_found', `Webhook ${id.slice(0, 100)} was not found`, {
        details: [{ field: 'webhook_id', message: 'no such webhook in this organization' }],
      });
    }
    return subscription;
  };
  const notFound = 'No such webhook in your organization';

  const createBody = Type.Object(
    {
      url: fields.url,
      events: fields.events,
      secret: Type.Optional(secretSchema),
      description: Type.Optional(fields.description),
    },
    { additionalProperties: false, 'x-unknown-field': 'is not a webhook field' },
  );
  const create = defineRoute({
    method: 'post',
    path: '/webhooks',
    summary: 'Create a webhook subscription',
    description:
      'Events of the organization whose type matches one of `events` (exact types, `category.*`, or `*`) are POSTed to `url`, signed as Standard Webhooks. The URL must be https and must not point at a private, loopback or link-local address (unless the operator allows it).',
    body: createBody,
    responses: {
      201: {
        description: 'Created; the only answer besides rotate-secret that shows the secret',
        schema: ref('WebhookWithSecret'),
        headers: { Location: { description: 'The webhook’s URL.', schema: { type: 'string' } } },
      },
      409: 'The organization has RG_WEBHOOK_MAX_PER_ORGANIZATION webhooks, the most allowed (limit_reached)',
    },
    async handler({ body }, req, res) {
      const organizationId = organizationOf(req);
      const errors: ErrorDetail[] = [];
      if (body.secret !== undefined) {
        const problem = secretProblem(body.secret);
        if (problem) errors.push({ field: 'secret', message: problem });
      }
      checkFields(body, options, errors);
      if (errors.length) throw new ValidationError('The webhook is invalid', errors);
      if (store.list(organizationId).length >= options.maxPerOrganization) {
        throw new PlatformError(
          'limit_reached',
          `The organization has ${options.maxPerOrganization} webhooks, the most allowed`,
          {
            details: [
              {
                field: 'webhooks',
                message: `at most ${options.maxPerOrganization} per organization; delete one first`,
              },
            ],
          },
        );
      }
      const nowMs = Date.now();
      const secret = body.secret ?? generateSecret();
      const subscription: WebhookSubscription = {
        id: newWebhookId(nowMs),
        organization_id: organizationId,
        url: body.url,
        events: body.events,
        description: body.description || null,
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
    },
  });

  const list = defineRoute({
    method: 'get',
    path: '/webhooks',
    summary: "The organization's webhooks, newest first",
    responses: {
      200: {
        description: 'Every webhook of the organization (one page)',
        schema: Type.Object({
          data: Type.Array(ref('Webhook')),
          has_more: Type.Boolean(),
          next_cursor: Type.Null(),
        }),
      },
    },
    handler(_input, req, res) {
      res.json({ data: store.list(organizationOf(req)).map(publicWebhook), has_more: false, next_cursor: null });
    },
  });

  const get = defineRoute({
    method: 'get',
    path: '/webhooks/{webhook_id}',
    summary: 'One webhook',
    params: webhookId,
    responses: { 200: { description: 'The webhook', schema: ref('Webhook') }, 404: notFound },
    handler({ params }, req, res) {
      res.json(publicWebhook(find(req, params.webhook_id)));
    },
  });

  const update = defineRoute({
    method: 'patch',
    path: '/webhooks/{webhook_id}',
    summary: 'Update a webhook',
    description: 'Changes the fields given. Setting `enabled` clears `disabled_reason`.',
    params: webhookId,
    body: Type.Object(
      {
        url: Type.Optional(fields.url),
        events: Type.Optional(fields.events),
        description: Type.Optional(fields.description),
        enabled: Type.Optional(Type.Boolean({ description: 'false pauses deliveries; true resumes them.' })),
        secret: Type.Optional(
          Type.Never({
            description: 'Not updatable here: POST /webhooks/{webhook_id}/rotate-secret.',
            'x-message': 'cannot be updated: use POST /webhooks/{webhook_id}/rotate-secret',
          }),
        ),
      },
      { additionalProperties: false, 'x-unknown-field': 'is not a webhook field' },
    ),
    responses: { 200: { description: 'The webhook', schema: ref('Webhook') }, 404: notFound },
    async handler({ params, body }, req, res) {
      const existing = find(req, params.webhook_id);
      const errors: ErrorDetail[] = [];
      checkFields(body, options, errors);
      if (errors.length) throw new ValidationError('The webhook is invalid', errors);
      const changes: Partial<WebhookSubscription> = {};
      if (body.url !== undefined) changes.url = body.url;
      if (body.events !== undefined) changes.events = body.events;
      if (body.description !== undefined) changes.description = body.description || null;
      if (body.enabled !== undefined) changes.enabled = body.enabled;
      if (Object.keys(changes).length === 0) return void res.json(publicWebhook(existing));
      // Spread the stored record: fields the dispatcher keeps on it survive an update.
      const updated: WebhookSubscription = { ...existing, ...changes, updated_at_ms: Date.now() };
      // Enabling clears why the platform disabled it; disabling by hand has no platform reason.
      if (changes.enabled !== undefined) updated.disabled_reason = null;
      await store.put(updated);
      res.json(publicWebhook(updated));
    },
  });

  const remove = defineRoute({
    method: 'delete',
    path: '/webhooks/{webhook_id}',
    summary: 'Delete a webhook',
    params: webhookId,
    responses: { 204: { description: 'Deleted' }, 404: notFound },
    async handler({ params }, req, res) {
      await store.delete(find(req, params.webhook_id).id);
      res.status(204).end();
    },
  });

  const rotate = defineRoute({
    method: 'post',
    path: '/webhooks/{webhook_id}/rotate-secret',
    summary: 'Rotate the signing secret',
    description:
      'A new secret signs every delivery from now on; the previous one keeps signing too (a second signature) until `previous_secret_expires_at` (RG_WEBHOOK_SECRET_GRACE, default 24 h). The body is optional: `{"secret": …}` chooses the new secret.',
    params: webhookId,
    body: Type.Object({ secret: Type.Optional(secretSchema) }, { additionalProperties: false }),
    bodyOptional: true,
    responses: {
      200: { description: 'The webhook with its new secret, shown only here', schema: ref('RotatedWebhook') },
      404: notFound,
    },
    async handler({ params, body }, req, res) {
      const existing = find(req, params.webhook_id);
      const given = body?.secret;
      if (given !== undefined) {
        const problem =
          secretProblem(given) ??
          (existing.secrets.some((s) => s.secret === given) ? 'must differ from the secrets in use' : undefined);
        if (problem) throw new ValidationError('The new secret is invalid', [{ field: 'secret', message: problem }]);
      }
      const nowMs = Date.now();
      const secret = given ?? generateSecret();
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
    },
  });

  const test = defineRoute({
    method: 'post',
    path: '/webhooks/{webhook_id}/test',
    summary: 'Send a signed test delivery',
    description:
      'POSTs one signed `webhook.test` event (never published, not in history, not retried) to the URL and answers how the attempt went.',
    params: webhookId,
    responses: {
      200: {
        description: 'The attempt',
        schema: Type.Object({
          event_id: Type.String(),
          delivered: Type.Boolean({ description: 'True on a 2xx.' }),
          status_code: nullable(Type.Integer()),
          duration_ms: Type.Integer({ minimum: 0 }),
          error: nullable(Type.String()),
        }),
      },
      404: notFound,
    },
    async handler({ params }, req, res) {
      const subscription = find(req, params.webhook_id);
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
    },
  });

  return [create, list, get, update, remove, rotate, test];
}
