/**
 * Routes of later API versions the console uses when the API has them, read from its OpenAPI
 * document (no probing request, so no 404 in the browser's console): the statistics route, the
 * replay dry run and the delivery resend.
 */
export interface ApiFeatures {
  /** `GET /events/stats` (the overview's charts). */
  stats: boolean;
  /** `"dry_run": true` on `POST /events/replay` (the count before a replay starts). */
  replayDryRun: boolean;
  /** `POST /webhooks/{id}/deliveries/{event_id}/resend`. */
  resend: boolean;
}

type OpenApi = { paths?: Record<string, Record<string, { requestBody?: unknown }>> };

let features: Promise<ApiFeatures> | undefined;

export function featuresOf(document: OpenApi): ApiFeatures {
  const paths = document.paths ?? {};
  const replayBody = JSON.stringify(paths['/events/replay']?.post?.requestBody ?? {});
  return {
    stats: Boolean(paths['/events/stats']?.get),
    replayDryRun: replayBody.includes('"dry_run"'),
    resend: Boolean(paths['/webhooks/{id}/deliveries/{event_id}/resend']?.post),
  };
}

/** The features of the API serving this console (read once per page load). */
export function apiFeatures(): Promise<ApiFeatures> {
  features ??= fetch('/api/v1/openapi.json')
    .then((response) => (response.ok ? (response.json() as Promise<OpenApi>) : {}))
    .then(featuresOf)
    .catch(() => {
      features = undefined;
      return { stats: false, replayDryRun: false, resend: false };
    });
  return features;
}
