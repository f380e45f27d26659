/**
 * The one catalogue of error codes the HTTP API answers with. Each code is a stable machine word
 * that clients may switch on; `docs/api.md` lists every one (a test checks that).
 */
export const ERROR_CODES = {
  invalid_request: {
    status: 400,
    description: 'The request is malformed or a field is invalid; `details` names each bad field.',
  },
  invalid_json: { status: 400, description: 'The body is not valid JSON.' },
  unknown_event_type: { status: 400, description: "An event type is not one of the platform's types." },
  invalid_cursor: { status: 400, description: 'The cursor is corrupted, forged, or belongs to another query.' },
  unauthorized: { status: 401, description: 'No API key, or an unknown one.' },
  forbidden: { status: 403, description: 'The key may not do this (e.g. publish for another organization).' },
  not_found: { status: 404, description: "No such object in the caller's organization." },
  method_not_allowed: { status: 405, description: 'The route exists but not with this method.' },
  conflict: { status: 409, description: "The request conflicts with the object's current state." },
  limit_reached: {
    status: 409,
    description: "An organization's limit is reached (e.g. webhooks per organization); delete something first.",
  },
  payload_too_large: { status: 413, description: 'The body or the batch is over the configured limit.' },
  unsupported_media_type: { status: 415, description: 'The body is not `application/json`.' },
  rate_limited: { status: 429, description: 'Too many requests or connections; retry after `Retry-After` seconds.' },
  internal_error: { status: 500, description: 'An unexpected failure; it is logged with the request id.' },
  service_unavailable: {
    status: 503,
    description: 'A backing part (Kafka, schema registry, ClickHouse) is unreachable; retry later.',
  },
} as const satisfies Record<string, { status: number; description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;
