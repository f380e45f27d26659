import type { Send } from './deliver.js';

// TEMPORARY: replaced by the webhook dispatcher's HTTP client (URL rules on the connected
// address, keep-alive agents) once the webhooks area lands.
export function createFetchSender({ timeoutMs }: { timeoutMs: number }): Send {
  return async ({ url, body, headers }, signal) => {
    try {
      const response = await fetch(url, { method: 'POST', body, headers, redirect: 'manual', signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
      await response.arrayBuffer().catch(() => undefined);
      const retryAfter = Number(response.headers.get('retry-after'));
      return {
        ok: response.status >= 200 && response.status < 300,
        status: response.status,
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
        ...(response.ok ? {} : { error: `HTTP ${response.status}` }),
      };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  };
}
