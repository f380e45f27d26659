import type { IncomingMessage, ServerResponse } from 'node:http';
import { Connection } from 'better-sse';

const HEADERS = Connection.constants.RESPONSE_HEADERS;
// better-sse reads only `searchParams` of the URL (for its `padding` options, which the route refuses).
const NO_OPTIONS_URL = new URL('http://stream.invalid/');
// Read only by `Session#getResponse`, which the gateway never calls.
const SHARED_RESPONSE = Object.freeze({ status: 200, headers: new Headers(HEADERS) }) as unknown as Response;

/**
 * A better-sse connection over node:http that keeps only what a session uses: an abort signal
 * and the response. better-sse's own NodeHttp1Connection also builds a fetch `Request` and
 * `Response` (with copies of every header) per connection: about a third of an idle stream's
 * memory, for objects this gateway never reads. Headers set on `res` before (CORS, request id)
 * are kept by `writeHead`.
 */
export class LeanNodeConnection extends Connection {
  readonly url = NO_OPTIONS_URL;
  readonly request: Request;
  readonly response: Response;
  private readonly controller = new AbortController();

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    super();
    req.socket.setNoDelay(true);
    // Only `signal` is read (trustClientEventId is off, so no header is looked up).
    this.request = { signal: this.controller.signal } as Request;
    this.response = SHARED_RESPONSE;
    req.once('close', this.onClose);
    res.once('close', this.onClose);
  }

  private readonly onClose = () => {
    this.controller.abort();
  };

  sendHead = () => {
    this.res.writeHead(200, HEADERS);
  };

  sendChunk = (chunk: string) => {
    this.res.write(chunk);
  };

  cleanup = () => {
    this.req.removeListener('close', this.onClose);
    this.res.removeListener('close', this.onClose);
  };
}
