import type { AvalaSettings } from '../config';
import type { AvalaClient, RequestLogEntry } from './client';
import type { Log } from '../log';
import * as l10n from './l10n';
import { redactedMessage } from './redact';

type ClientModule = typeof import('./client');
let clientModule: ClientModule | undefined;

/**
 * The client, its response classification and undici behind it load on the first request,
 * never at activation: esbuild keeps them in chunks of their own (see LAZY in esbuild.mjs).
 */
function loadClient(): ClientModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (clientModule ??= require('./client') as ClientModule);
}

/** Closes the shared connections, if a request ever opened one (on deactivate). */
export function closeConnections(): Promise<void> {
  return clientModule?.closeSharedTransports() ?? Promise.resolve();
}

export interface AvalaApiDeps {
  /** Read at each request, so a changed setting applies to the next one. */
  settings: () => AvalaSettings;
  log: Pick<Log, 'info' | 'warn'>;
}

/**
 * Hands out API clients with the user's current settings. A key's client is always for
 * the base URL that key was stored for, so a key never travels to another host.
 */
export class AvalaApi {
  /** The last client handed out, and what it was made for: each check need not build one. */
  private last: { baseUrl: string; allowInsecureLoopback: boolean; timeoutMs: number; client: AvalaClient } | undefined;

  constructor(private readonly deps: AvalaApiDeps) {}

  /** A client for `baseUrl` (default: the configured one). Throws `insecureUrl` for a refused URL. */
  client(baseUrl?: string): AvalaClient {
    const { apiBaseUrl, allowInsecureLoopback, timeoutMs } = this.deps.settings();
    const url = baseUrl ?? apiBaseUrl;
    const last = this.last;
    if (last && last.baseUrl === url && last.allowInsecureLoopback === allowInsecureLoopback && last.timeoutMs === timeoutMs) {
      return last.client;
    }
    const client = new (loadClient().AvalaClient)({
      baseUrl: url,
      allowInsecureLoopback,
      timeoutMs,
      onRequest: (entry) => this.logRequest(entry),
    });
    this.last = { baseUrl: url, allowInsecureLoopback, timeoutMs, client };
    return client;
  }

  /** A client for the configured API to check a key with, or the words that say why there is none (a refused `avala.apiBaseUrl`). */
  checkingClient(): { client: AvalaClient } | { problem: string } {
    try {
      return { client: this.client() };
    } catch (error) {
      return { problem: l10n.t('Cannot check the key: {0} Check the "avala.apiBaseUrl" setting.', redactedMessage(error)) };
    }
  }

  private logRequest(entry: RequestLogEntry): void {
    const status = entry.status === undefined ? 'no answer' : `HTTP ${entry.status}`;
    const line = `${entry.method} ${entry.host}${entry.path} → ${status}, ${entry.outcome} (${entry.durationMs} ms)`;
    if (entry.outcome === 'ok') {
      this.deps.log.info(line);
    } else {
      this.deps.log.warn(line);
    }
  }
}
