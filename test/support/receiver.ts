import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  received: ReceivedRequest[];
  /** Decides each answer: a status code (200 by default) and an optional delay in ms. */
  respond: (
    request: ReceivedRequest,
    index: number,
  ) => { status: number; delayMs?: number; headers?: Record<string, string> };
  close(): Promise<void>;
}

/** A local webhook endpoint on 127.0.0.1 that records every request. */
export async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: '',
    received: [],
    respond: () => ({ status: 200 }),
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      const request = { headers: req.headers, body, at: Date.now() };
      const index = receiver.received.length;
      receiver.received.push(request);
      const { status, delayMs = 0, headers = {} } = receiver.respond(request, index);
      setTimeout(() => {
        res.writeHead(status, headers);
        res.end();
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}
