import { hostOf, normalizeBaseUrl } from './baseUrl';
import { classifyResponse, parseJsonBody, readRateLimit, type HeaderBag } from './classify';
import { AvalaApiError, type ApiErrorReason, type RateLimitInfo } from './errors';
import { checkKeyShape } from './keyFormat';
import * as l10n from './l10n';
import { registerSecret } from './redact';
import type { Transport, TransportRequest } from './transport';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MAX_RESPONSE_BYTES = 1024 * 1024;
export const CLIENT_NAME = 'vscode_extension';

export interface RequestLogEntry {
  method: string;
  /** Path relative to the base URL, without query. */
  path: string;
  host: string;
  status?: number;
  outcome: 'ok' | ApiErrorReason;
  durationMs: number;
}

export interface ClientOptions {
  baseUrl: string;
  allowInsecureLoopback?: boolean;
  timeoutMs?: number;
  clientName?: string;
  maxResponseBytes?: number;
  /** Called once per request with what happened (no headers, no bodies). */
  onRequest?: (entry: RequestLogEntry) => void;
  /** For tests: a transport of their own instead of the shared undici one. */
  transport?: Transport;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: HeaderBag;
  rateLimit?: RateLimitInfo;
}

export interface SignUpInput {
  email: string;
  password: string;
  firstName?: string;
  lastName?: string;
}

export interface SignUpResult {
  user: { uid: string; username: string; email: string; firstName: string; lastName: string; inWaitlist?: boolean };
  apiKey: string;
}

export interface KeyPermissions {
  /** `undefined` when the deployment could only confirm the key works (organizations fallback). */
  scopes: string[] | undefined;
  /** A key with no scopes has full organization access. */
  fullAccess: boolean | undefined;
  type?: string;
  source: 'permissions' | 'organizations';
  rateLimit?: RateLimitInfo;
}

// One undici agent per connect timeout, shared by every client so connections are reused.
const transports = new Map<number, Transport>();

function sharedTransport(timeoutMs: number): Transport {
  let transport = transports.get(timeoutMs);
  if (!transport) {
    // Required here, not imported at the top: undici costs tens of milliseconds to load
    // and activation must not pay for it. esbuild keeps it in dist/transport.js.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { createTransport } = require('./transport') as typeof import('./transport');
    transport = createTransport(timeoutMs);
    transports.set(timeoutMs, transport);
  }
  return transport;
}

/** Closes the shared connections (on deactivate and at the end of tests). */
export async function closeSharedTransports(): Promise<void> {
  const all = [...transports.values()];
  transports.clear();
  await Promise.all(all.map((t) => t.close().catch(() => undefined)));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

export class AvalaClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly clientName: string;
  private readonly maxBytes: number;
  /** Parsed URLs of query-less paths; the transport only reads them. */
  private readonly urls = new Map<string, URL>();

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl, options.allowInsecureLoopback ?? false);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.clientName = options.clientName ?? CLIENT_NAME;
    this.maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(this.clientName)) {
      throw new Error(`Invalid client name "${this.clientName}".`);
    }
  }

  get host(): string {
    return hostOf(this.baseUrl);
  }

  /** The one request path every call takes: headers, timeouts, size cap, classification, logging. */
  async request<T = unknown>(
    method: TransportRequest['method'],
    path: string,
    opts: { key?: string; body?: unknown; query?: Record<string, string> } = {},
  ): Promise<ApiResponse<T>> {
    const started = Date.now();
    const relative = path.startsWith('/') ? path : `/${path}`;
    const url = opts.query ? this.urlWithQuery(relative, opts.query) : this.urlOf(relative);
    const headers: Record<string, string> = { accept: 'application/json', 'x-avala-client': this.clientName };
    if (opts.key !== undefined) {
      const shape = checkKeyShape(opts.key);
      if (!shape.ok) {
        throw new AvalaApiError('invalidKey', shape.message);
      }
      registerSecret(shape.key);
      headers['x-avala-api-key'] = shape.key;
    }
    let body: string | undefined;
    if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const log = (outcome: RequestLogEntry['outcome'], status?: number) =>
      this.options.onRequest?.({ method, path: relative, host: url.host, status, outcome, durationMs: Date.now() - started });

    let raw;
    try {
      const transport = this.options.transport ?? sharedTransport(this.timeoutMs);
      raw = await transport.send({ method, url, headers, body, timeoutMs: this.timeoutMs, maxBytes: this.maxBytes });
    } catch (error) {
      const typed =
        error instanceof AvalaApiError
          ? error
          : new AvalaApiError('network', l10n.t('The Avala API at {0} could not be reached.', url.host), { cause: error });
      log(typed.reason, typed.status);
      throw typed;
    }
    if (raw.status < 200 || raw.status >= 300) {
      const error = classifyResponse(raw);
      log(error.reason, raw.status);
      throw error;
    }
    let data: unknown;
    try {
      data = parseJsonBody(raw);
    } catch (error) {
      log('malformedResponse', raw.status);
      throw error;
    }
    log('ok', raw.status);
    return { status: raw.status, data: data as T, headers: raw.headers, rateLimit: readRateLimit(raw.headers) };
  }

  // Parsing a URL per request measurably slowed a permission check (npm run bench), so a
  // path's URL is parsed once.
  private urlOf(relative: string): URL {
    let url = this.urls.get(relative);
    if (!url) {
      url = new URL(`${this.baseUrl}${relative}`);
      this.urls.set(relative, url);
    }
    return url;
  }

  private urlWithQuery(relative: string, query: Record<string, string>): URL {
    const url = new URL(`${this.baseUrl}${relative}`);
    for (const [name, value] of Object.entries(query)) {
      url.searchParams.set(name, value);
    }
    return url;
  }

  /** `POST /signup/`: the only unauthenticated call. The password is sent, never kept. */
  async signUp(input: SignUpInput): Promise<SignUpResult> {
    registerSecret(input.password);
    const body: Record<string, string> = { email: input.email, password: input.password };
    if (input.firstName) {
      body.first_name = input.firstName;
    }
    if (input.lastName) {
      body.last_name = input.lastName;
    }
    const response = await this.request('POST', '/signup/', { body });
    const data = response.data;
    const user = isRecord(data) && isRecord(data.user) ? data.user : undefined;
    const shape = isRecord(data) && typeof data.api_key === 'string' ? checkKeyShape(data.api_key) : undefined;
    if (!user || !shape?.ok) {
      throw new AvalaApiError('malformedResponse', l10n.t('The Avala API accepted the sign-up but its answer had no usable API key.'), {
        status: response.status,
      });
    }
    // The key as checked: a line break around it from a broken server must not reach a terminal.
    const apiKey = shape.key;
    registerSecret(apiKey);
    const text = (value: unknown) => (typeof value === 'string' ? value : '');
    return {
      user: {
        uid: text(user.uid),
        username: text(user.username),
        email: text(user.email) || input.email,
        firstName: text(user.first_name),
        lastName: text(user.last_name),
        inWaitlist: typeof user.in_waitlist === 'boolean' ? user.in_waitlist : undefined,
      },
      apiKey,
    };
  }

  /** Checks a key: `GET /users/me/permissions/`, or `GET /organizations/?limit=1` where that path is 404. */
  async getPermissions(key: string): Promise<KeyPermissions> {
    try {
      const response = await this.request('GET', '/users/me/permissions/', { key });
      const data = response.data;
      if (!isRecord(data) || !Array.isArray(data.scopes) || !data.scopes.every((s) => typeof s === 'string')) {
        throw new AvalaApiError('malformedResponse', l10n.t('The Avala API answered the permissions check without a list of scopes.'), {
          status: response.status,
        });
      }
      const scopes = data.scopes as string[];
      return {
        scopes,
        fullAccess: scopes.length === 0,
        type: typeof data.type === 'string' ? data.type : undefined,
        source: 'permissions',
        rateLimit: response.rateLimit,
      };
    } catch (error) {
      if (!(error instanceof AvalaApiError) || error.status !== 404) {
        throw error;
      }
    }
    const response = await this.request('GET', '/organizations/', { key, query: { limit: '1' } });
    if (!isRecord(response.data) || !Array.isArray(response.data.results)) {
      throw new AvalaApiError('malformedResponse', l10n.t('The Avala API answered the organizations check without a page of results.'), {
        status: response.status,
      });
    }
    return { scopes: undefined, fullAccess: undefined, source: 'organizations', rateLimit: response.rateLimit };
  }
}
