// The only module that loads undici. It is bundled into its own file (dist/transport.js)
// and required on the first request, so activation never pays for it.
import { Agent, errors, type Dispatcher } from 'undici';
import type { HeaderBag } from './classify';
import { AvalaApiError } from './errors';
import * as l10n from './l10n';

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

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code === 'string') {
    return code;
  }
  const cause = (error as { cause?: unknown })?.cause;
  return cause && cause !== error ? codeOf(cause) : undefined;
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
    return new AvalaApiError(
      'timeout',
      l10n.t('The Avala API at {0} did not answer within {1} s.', host, Math.round(timeoutMs / 100) / 10),
      { cause: error },
    );
  }
  const code = codeOf(error);
  const suffix = code && NETWORK_CODES.has(code) ? ` (${code})` : '';
  const message =
    code === 'ECONNREFUSED'
      ? l10n.t('The Avala API at {0} refused the connection{1}.', host, suffix)
      : code === 'ECONNRESET' || code === 'UND_ERR_SOCKET'
        ? l10n.t('The Avala API at {0} closed the connection{1}.', host, suffix)
        : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
          ? l10n.t('The Avala API at {0} could not be found (DNS){1}.', host, suffix)
          : l10n.t('The Avala API at {0} could not be reached{1}.', host, suffix);
  return new AvalaApiError('network', message, { cause: error });
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
        response.body.destroy();
        throw new AvalaApiError(
          'malformedResponse',
          l10n.t(
            'The Avala API at {0} sent a response of {1} bytes, over the {2}-byte limit; it was not read.',
            url.host,
            declared,
            request.maxBytes,
          ),
          {
            status: response.statusCode,
          },
        );
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
            fail(
              new AvalaApiError(
                'malformedResponse',
                l10n.t('The Avala API at {0} sent more than {1} bytes; the response was dropped.', url.host, request.maxBytes),
                { status: response.statusCode },
              ),
            );
          } else if (Date.now() > deadline) {
            fail(
              new AvalaApiError(
                'timeout',
                l10n.t('The Avala API at {0} did not finish answering within {1} s.', url.host, Math.round(request.timeoutMs / 500) / 2),
              ),
            );
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
