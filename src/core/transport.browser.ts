// What `require('./transport')` gives in the browser build (esbuild.mjs maps it here): the
// fetch transport, under the undici transport's name. The connect timeout has no meaning for
// fetch; the request's own timeout and deadline apply.
import { createFetchTransport } from './fetchTransport';
import type { Transport } from './transport';

export function createTransport(_connectTimeoutMs: number): Transport {
  void _connectTimeoutMs;
  return createFetchTransport();
}
