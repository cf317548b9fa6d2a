// The only module that loads undici. It is bundled into its own file (dist/transport.js)
// and required on the first request, so activation never pays for it.
import { Agent, errors, type Dispatcher } from 'undici';
import type { HeaderBag } from './classify';
import { AvalaApiError } from './errors';
import { networkError, timeoutError, tooLargeError, unfinishedError } from './networkError';

export interface TransportRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Parsed once by the client; the transport only reads it. */
  url: URL;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  maxBytes: number;
}

export interface TransportResponse {
  status: number;
  headers: HeaderBag;
  body: string;
}

export interface Transport {
  send(request: TransportRequest): Promise<TransportResponse>;
  close(): Promise<void>;
}

/** Maps what undici and the socket throw to one typed error; never includes request headers. */
export function toTransportError(error: unknown, host: string, timeoutMs: number): AvalaApiError {
  if (error instanceof AvalaApiError) {
    return error;
  }
  if (
    error instanceof errors.ConnectTimeoutError ||
    error instanceof errors.HeadersTimeoutError ||
    error instanceof errors.BodyTimeoutError ||
    (error as Error)?.name === 'TimeoutError'
  ) {
    return timeoutError(host, timeoutMs, error);
  }
  return networkError(error, host);
}

export function createTransport(connectTimeoutMs: number): Transport {
  const agent = new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connect: { timeout: connectTimeoutMs },
  });

  return {
    async send(request) {
      const url = request.url;
      // A hard deadline for the whole exchange: undici's body timeout is per chunk, so a
      // server dripping one byte at a time would otherwise hold us for as long as it likes.
      // The deadline is checked as each chunk arrives, and a server that goes silent is cut by
      // the body timeout, so an exchange ends within three timeouts at worst. No timer or
      // AbortSignal per request: one cost more than all the rest of our request handling
      // (npm run bench, validation overhead).
      const deadline = Date.now() + request.timeoutMs * 2;
      let response: Dispatcher.ResponseData;
      try {
        response = await agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: request.method,
          headers: request.headers,
          body: request.body,
          headersTimeout: request.timeoutMs,
          bodyTimeout: request.timeoutMs,
        });
      } catch (error) {
        throw toTransportError(error, url.host, request.timeoutMs);
      }
      const declared = Number(response.headers['content-length']);
      if (Number.isFinite(declared) && declared > request.maxBytes) {
        // Destroying the body makes it emit an AbortError: handled here, or it would be uncaught.
        response.body.once('error', () => undefined);
        response.body.destroy();
        throw tooLargeError(url.host, request.maxBytes, response.statusCode, declared);
      }
      const body = await new Promise<string>((resolve, reject) => {
        const stream = response.body;
        const chunks: Buffer[] = [];
        let size = 0;
        const fail = (error: AvalaApiError) => {
          stream.destroy();
          reject(error);
        };
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > request.maxBytes) {
            fail(tooLargeError(url.host, request.maxBytes, response.statusCode));
          } else if (Date.now() > deadline) {
            fail(unfinishedError(url.host, request.timeoutMs));
          } else {
            chunks.push(chunk);
          }
        });
        stream.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        stream.once('error', (error) => fail(toTransportError(error, url.host, request.timeoutMs)));
      });
      return { status: response.statusCode, headers: response.headers as HeaderBag, body };
    },
    close: () => agent.close(),
  };
}
