// The transport for VS Code in a browser (vscode.dev, github.dev, a web worker extension host),
// on `fetch`: the same contract as the undici transport (./transport) — typed errors, no
// redirect followed, the size cap and the deadline — with no Node module.
import type { HeaderBag } from './classify';
import { AvalaApiError } from './errors';
import * as l10n from './l10n';
import { codeOf, networkError, timeoutError, tooLargeError, unfinishedError } from './networkError';
import type { Transport, TransportRequest, TransportResponse } from './transport';

export interface FetchTransportDeps {
  /** The fetch to call (default: the global one). */
  fetch?: typeof fetch;
}

/**
 * A fetch that failed with a TypeError and no socket code is what a browser reports when it
 * refuses an answer (CORS: the API did not allow this page's origin) or cannot connect; it
 * tells the page nothing more. Either way the key was not checked, so it is never "invalid".
 */
function fetchError(error: unknown, host: string, timeoutMs: number, timedOut: boolean): AvalaApiError {
  if (error instanceof AvalaApiError) {
    return error;
  }
  if (timedOut || (error as Error)?.name === 'TimeoutError') {
    return timeoutError(host, timeoutMs, error);
  }
  if (error instanceof TypeError && codeOf(error) === undefined) {
    return new AvalaApiError(
      'blocked',
      l10n.t(
        'The browser blocked the request to {0}: the API did not allow this page to read its answer (CORS), or the network refused it. The key was not checked.',
        host,
      ),
      { cause: error },
    );
  }
  return networkError(error, host);
}

function headersOf(response: Response): HeaderBag {
  const bag: HeaderBag = {};
  response.headers.forEach((value, name) => {
    bag[name.toLowerCase()] = value;
  });
  return bag;
}

export function createFetchTransport(deps: FetchTransportDeps = {}): Transport {
  const doFetch = deps.fetch ?? ((input: string, init?: RequestInit) => globalThis.fetch(input, init));
  const inFlight = new Set<AbortController>();

  async function send(request: TransportRequest): Promise<TransportResponse> {
    const url = request.url;
    const controller = new AbortController();
    inFlight.add(controller);
    // The headers must come within one timeout, each chunk of the body within another, and the
    // whole exchange within two: a server dripping a byte at a time is cut like a silent one.
    const deadline = Date.now() + request.timeoutMs * 2;
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => {
          timedOut = true;
          controller.abort();
        },
        Math.max(0, Math.min(request.timeoutMs, deadline - Date.now())),
      );
    };
    arm();
    try {
      let response: Response;
      try {
        response = await doFetch(url.href, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          redirect: 'manual',
          credentials: 'omit',
          signal: controller.signal,
        });
      } catch (error) {
        throw fetchError(error, url.host, request.timeoutMs, timedOut);
      }
      if (response.type === 'opaqueredirect') {
        // A browser hides a redirect's status and Location from the page; it was not followed.
        throw new AvalaApiError(
          'redirect',
          l10n.t(
            'The Avala API answered with a redirect (HTTP {0}); it was not followed so your key is never sent to another host.',
            '3xx',
          ),
        );
      }
      const declared = Number(response.headers.get('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > request.maxBytes) {
        controller.abort();
        throw tooLargeError(url.host, request.maxBytes, response.status, declared);
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      const reader = response.body?.getReader();
      try {
        for (;;) {
          arm();
          const { done, value } = reader ? await reader.read() : { done: true, value: undefined };
          if (done) {
            break;
          }
          size += value.byteLength;
          if (size > request.maxBytes) {
            controller.abort();
            throw tooLargeError(url.host, request.maxBytes, response.status);
          }
          if (Date.now() > deadline) {
            controller.abort();
            throw unfinishedError(url.host, request.timeoutMs);
          }
          chunks.push(value);
        }
      } catch (error) {
        throw timedOut && !(error instanceof AvalaApiError)
          ? unfinishedError(url.host, request.timeoutMs)
          : fetchError(error, url.host, request.timeoutMs, timedOut);
      }
      const bytes = new Uint8Array(size);
      let offset = 0;
      for (const chunk of chunks) {
        bytes.set(chunk, offset);
        offset += chunk.byteLength;
      }
      return { status: response.status, headers: headersOf(response), body: new TextDecoder().decode(bytes) };
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
  }

  return {
    send,
    close: () => {
      for (const controller of inFlight) {
        controller.abort();
      }
      inFlight.clear();
      return Promise.resolve();
    },
  };
}
