import type { LookupAddress } from 'node:dns';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpSender, guardedLookup, parseRetryAfterMs } from './sender.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: Server[] = [];
const senders: { close(): void }[] = [];

async function serve(handler: Handler): Promise<{ port: number; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    req.resume();
    req.on('end', () => handler(req, res));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, hits: () => hits };
}

function sender(options: Parameters<typeof createHttpSender>[0]) {
  const send = createHttpSender(options);
  senders.push(send);
  return send;
}

/** A resolver that knows a few made-up names, like dns.lookup. */
function fakeResolver(names: Record<string, LookupAddress[]>) {
  return ((
    hostname: string,
    options: { all?: boolean },
    callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
  ) => {
    const found = names[hostname];
    if (!found)
      return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '');
    if (options.all) return callback(null, found);
    callback(null, found[0]!.address, found[0]!.family);
  }) as never;
}

const request = (url: string) => ({ url, body: '{"a":1}', headers: { 'webhook-id': 'evt_1' } });
const signal = () => new AbortController().signal;

afterEach(async () => {
  senders.splice(0).forEach((s) => {
    s.close();
  });
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise((resolve) => {
          server.closeAllConnections();
          server.close(resolve);
        }),
    ),
  );
});

describe('guardedLookup', () => {
  const lookup = (names: Record<string, LookupAddress[]>, hostname: string, all: boolean) =>
    new Promise<{ error: Error | null; address: unknown }>((resolve) => {
      guardedLookup(fakeResolver(names))(hostname, { all }, (error, address) => resolve({ error, address }));
    });

  it('passes a name whose every address is public, in both answer forms', async () => {
    const names = {
      'hooks.example': [
        { address: '93.184.216.34', family: 4 },
        { address: '2606:2800:220:1::248', family: 6 },
      ],
    };
    expect(await lookup(names, 'hooks.example', false)).toEqual({ error: null, address: '93.184.216.34' });
    expect((await lookup(names, 'hooks.example', true)).address).toHaveLength(2);
  });

  it.each([
    ['loopback', [{ address: '127.0.0.1', family: 4 }]],
    ['cloud metadata', [{ address: '169.254.169.254', family: 4 }]],
    ['mapped IPv6 loopback', [{ address: '::ffff:127.0.0.1', family: 6 }]],
    [
      'a mixed answer',
      [
        { address: '93.184.216.34', family: 4 },
        { address: '10.0.0.1', family: 4 },
      ],
    ],
  ])('refuses a name resolving to %s', async (_name, addresses) => {
    const { error } = await lookup({ 'evil.example': addresses }, 'evil.example', true);
    expect(error?.message).toMatch(/^refused: evil\.example resolves to/);
  });

  it('passes resolver errors through', async () => {
    expect((await lookup({}, 'missing.example', false)).error?.message).toMatch(/ENOTFOUND/);
  });
});

describe('createHttpSender', () => {
  it('delivers to a 2xx endpoint and reports its status', async () => {
    let seen: Record<string, unknown> = {};
    const { port } = await serve((req, res) => {
      seen = req.headers;
      res.writeHead(204).end();
    });
    expect(
      await sender({ timeoutMs: 5000, allowPrivate: true })(request(`http://127.0.0.1:${port}/hook`), signal()),
    ).toEqual({ ok: true, status: 204 });
    // The body is labelled JSON by the sender itself; the caller's headers go along.
    expect(seen).toMatchObject({
      'content-type': 'application/json',
      'webhook-id': 'evt_1',
      'user-agent': expect.stringMatching(/^ResonantGenesis-Webhooks\//),
    });
  });

  it('refuses http, literal private addresses and names resolving to them unless allowed, sending nothing', async () => {
    const { port, hits } = await serve((_req, res) => res.writeHead(200).end());
    const strict = sender({
      timeoutMs: 5000,
      resolve: fakeResolver({ 'hooks.example.test': [{ address: '127.0.0.1', family: 4 }] }),
    });
    const results = await Promise.all([
      strict(request(`http://127.0.0.1:${port}/hook`), signal()),
      strict(request(`https://127.0.0.1:${port}/hook`), signal()),
      strict(request(`https://[::ffff:127.0.0.1]:${port}/hook`), signal()),
      strict(request(`https://hooks.example.test:${port}/hook`), signal()),
    ]);
    for (const result of results)
      expect(result).toMatchObject({ ok: false, refused: true, error: expect.stringMatching(/^refused: /) });
    expect(results[3]!.error).toMatch(/hooks\.example\.test resolves to 127\.0\.0\.1 is a loopback address/);
    expect(hits()).toBe(0);
    // The same name with private targets allowed connects where the resolver points.
    const relaxed = sender({
      timeoutMs: 5000,
      allowPrivate: true,
      resolve: fakeResolver({ 'hooks.example.test': [{ address: '127.0.0.1', family: 4 }] }),
    });
    expect(await relaxed(request(`http://hooks.example.test:${port}/hook`), signal())).toEqual({
      ok: true,
      status: 200,
    });
    expect(hits()).toBe(1);
  });

  it('refuses localhost through the system resolver', async () => {
    const { port, hits } = await serve((_req, res) => res.writeHead(200).end());
    const result = await sender({ timeoutMs: 5000 })(request(`https://localhost:${port}/hook`), signal());
    expect(result).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^refused: localhost resolves to (127\.0\.0\.1|::1) is a loopback address/),
    });
    expect(hits()).toBe(0);
  });

  it('does not follow redirects: a 3xx is a failure', async () => {
    const target = await serve((_req, res) => res.writeHead(200).end());
    const { port } = await serve((_req, res) =>
      res.writeHead(302, { location: `http://127.0.0.1:${target.port}/` }).end(),
    );
    const result = await sender({ timeoutMs: 5000, allowPrivate: true })(
      request(`http://127.0.0.1:${port}/hook`),
      signal(),
    );
    expect(result).toEqual({ ok: false, status: 302, error: 'HTTP 302: redirects are not followed' });
    expect(target.hits()).toBe(0);
  });

  it('reads Retry-After on a 429 or 503', async () => {
    const { port } = await serve((req, res) =>
      res.writeHead(req.url === '/500' ? 500 : 429, { 'retry-after': '7' }).end(),
    );
    const send = sender({ timeoutMs: 5000, allowPrivate: true });
    expect(await send(request(`http://127.0.0.1:${port}/hook`), signal())).toEqual({
      ok: false,
      status: 429,
      retryAfterMs: 7000,
      error: 'HTTP 429',
    });
    expect(await send(request(`http://127.0.0.1:${port}/500`), signal())).toEqual({
      ok: false,
      status: 500,
      error: 'HTTP 500',
    });
  });

  it('parses Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-02-21T03:27:00Z');
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs('Sat, 21 Feb 2026 03:28:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfterMs('Sat, 21 Feb 2026 03:26:00 GMT', now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
  });

  it('gives up on an endpoint slower than the timeout', async () => {
    const { port } = await serve((_req, res) => setTimeout(() => res.writeHead(200).end(), 3000));
    const result = await sender({ timeoutMs: 200, allowPrivate: true })(
      request(`http://127.0.0.1:${port}/hook`),
      signal(),
    );
    expect(result).toMatchObject({ ok: false, error: 'timed out after 200 ms' });
  });

  it('caps concurrent requests per origin, and a saturated origin does not hold up another', async () => {
    const held: ServerResponse[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const slow = await serve((_req, res) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      held.push(res);
      res.on('finish', () => {
        inFlight -= 1;
      });
    });
    const fast = await serve((_req, res) => res.writeHead(200).end());
    const send = sender({ timeoutMs: 30_000, allowPrivate: true, maxSocketsPerHost: 2 });
    const slowResults = Array.from({ length: 5 }, () => send(request(`http://127.0.0.1:${slow.port}/hook`), signal()));
    // While the slow origin holds both of its connections, the other origin answers.
    expect(await send(request(`http://127.0.0.1:${fast.port}/hook`), signal())).toEqual({ ok: true, status: 200 });
    const deadline = Date.now() + 5000;
    while (held.length < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(held.length).toBe(2);
    // Release answers one at a time until all five went through two connections.
    while (held.length > 0 || slow.hits() < 5) {
      held.shift()?.writeHead(200).end();
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (Date.now() > deadline + 5000) break;
    }
    expect((await Promise.all(slowResults)).every((result) => result.ok)).toBe(true);
    expect(maxInFlight).toBe(2);
  });

  it('stops when the signal aborts', async () => {
    const { port } = await serve(() => undefined);
    const controller = new AbortController();
    const send = sender({ timeoutMs: 30_000, allowPrivate: true });
    // Several attempts share one signal (as the dispatcher's requests share its shutdown signal).
    const pending = Array.from({ length: 3 }, () => send(request(`http://127.0.0.1:${port}/hook`), controller.signal));
    setTimeout(() => controller.abort(), 100);
    expect(await Promise.all(pending)).toEqual(Array.from({ length: 3 }, () => expect.objectContaining({ ok: false })));
  });
});
