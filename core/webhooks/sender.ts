import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { Send } from './retry.js';

// The HTTP client of webhook deliveries and replays: keep-alive agents, a timeout, no redirects.
// TODO(webhooks): URL rules checked on the address actually connected to.
export function createHttpSender({ timeoutMs, maxSocketsPerHost = 16 }: { timeoutMs: number; maxSocketsPerHost?: number }): Send & { close(): void } {
  const agents = { http: new HttpAgent({ keepAlive: true, maxSockets: maxSocketsPerHost }), https: new HttpsAgent({ keepAlive: true, maxSockets: maxSocketsPerHost }) };
  const send: Send = ({ url, body, headers }, signal) => new Promise((resolve) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const req = (secure ? httpsRequest : httpRequest)(target, {
      method: 'POST',
      agent: secure ? agents.https : agents.http,
      headers: { ...headers, 'content-length': Buffer.byteLength(body) },
      timeout: timeoutMs,
      signal,
    }, (res) => {
      res.resume();
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const retryAfter = Number(res.headers['retry-after']);
        resolve({
          ok: status >= 200 && status < 300,
          status,
          ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterMs: retryAfter * 1000 } : {}),
          ...(status >= 200 && status < 300 ? {} : { error: `HTTP ${status}` }),
        });
      });
      res.on('error', (error) => resolve({ ok: false, status: res.statusCode ?? 0, error: error.message }));
    });
    req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
    req.on('error', (error) => resolve({ ok: false, error: error.message }));
    req.end(body);
  });
  return Object.assign(send, { close: () => { agents.http.destroy(); agents.https.destroy(); } });
}
