// A loopback gateway in front of the emulator that can do what a misconfigured proxy or
// API gateway does: drop the key header, or refuse the request itself with 403.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DETAIL } from '../../src/core/classify';

export type GatewayMode = 'pass' | 'strip' | 'forbid';

export interface ProxyGateway {
  /** The emulator's base URL, through the gateway. */
  baseUrl: string;
  mode: GatewayMode;
  close(): Promise<void>;
}

export async function startGateway(targetBaseUrl: string, mode: GatewayMode = 'pass'): Promise<ProxyGateway> {
  const upstream = new URL(targetBaseUrl);
  const server = http.createServer((req, res) => {
    if (gateway.mode === 'forbid') {
      req.resume();
      res.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ detail: DETAIL.forbidden }));
      return;
    }
    const headers = { ...req.headers };
    if (gateway.mode === 'strip') {
      delete headers['x-avala-api-key'];
    }
    const forward = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    // An upstream reset becomes a reset here too, as through a transparent proxy.
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const gateway: ProxyGateway = {
    baseUrl: `http://127.0.0.1:${port}${upstream.pathname.replace(/\/+$/, '')}`,
    mode,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return gateway;
}
