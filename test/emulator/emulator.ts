/**
 * Local emulator of the parts of the Avala API that the extension and Avala's own clients
 * (SDKs, CLI) use (see shared/avala-api.md), plus a small loopback-only admin API that stands
 * in for Mission Control (create / revoke / expire keys) and lets tests inject
 * faults. Node built-ins only.
 *
 * The emulator never stores request bodies, passwords or key values in its
 * request log.
 */
import * as http from 'node:http';
import * as crypto from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';

// ---------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------

export type FaultMode = 'none' | 'latency' | 'error500' | 'malformed' | 'reset' | 'redirect' | 'html' | 'empty' | 'huge' | 'oversized';

export const FAULT_MODES: readonly FaultMode[] = [
  'none',
  'latency',
  'error500',
  'malformed',
  'reset',
  'redirect',
  'html',
  'empty',
  'huge',
  'oversized',
];

export interface EmulatorOptions {
  /** 0 = pick a free port (default 0). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Per key, rolling minute. Default 100. */
  rateLimitPerMinute?: number;
  /** Per IP, rolling minute, signup only. Default 5. */
  signupLimitPerMinute?: number;
  /** Per IP, rolling minute, requests without a valid key. Default 30. */
  anonymousLimitPerMinute?: number;
  /** When false, one line per /api/v1 request is written to stderr. Default true. */
  quiet?: boolean;
  /** Maximum number of entries kept in `requests` (oldest dropped). Default 10 000. */
  requestLogLimit?: number;
}

export interface EmulatorKey {
  id: string;
  key: string;
  name: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
  revoked: boolean;
}

export interface EmulatorRequestRecord {
  /** Strictly increasing, starting at 1; not reset by reset(). */
  seq: number;
  /** Arrival time, ms since epoch. */
  time: number;
  method: string;
  /** Raw pathname as sent (not decoded). */
  path: string;
  /** Raw query string without the leading '?', '' if none. */
  query: string;
  /** Status sent; 0 while pending or when no response was sent (reset fault, client gone). */
  status: number;
  /** Emulator id of the key that was sent, if it matches a known (even revoked/expired) key. */
  keyId?: string;
  /** Whether an X-Avala-Api-Key header was present. */
  keySent: boolean;
  /** X-Avala-Client header (truncated to 200 characters). */
  client?: string;
  /** Fault mode applied to this request, if any. */
  fault?: string;
}

export type EmulatorRecord = EmulatorRequestRecord;

export interface EmulatorFault {
  mode: FaultMode;
  /** latency only: delay in ms (default 1000, max 600 000). */
  ms?: number;
  /** Number of /api/v1 requests affected; omitted = until mode 'none'. */
  count?: number;
  /** Status override for error500 (default 500), html (default 502), redirect (default 302). */
  status?: number;
}

export interface EmulatorConfig {
  permissionsEndpoint?: boolean;
  rateLimitPerMinute?: number;
  signupLimitPerMinute?: number;
  anonymousLimitPerMinute?: number;
  /**
   * The Access-Control-Allow-Origin the API answers with, for VS Code in a browser (vscode.dev,
   * code-server's web worker host): '*' (default), one origin, or '' for none, so a browser
   * refuses the answer the way it would refuse an API that does not allow it.
   */
  corsOrigin?: string;
}

export interface RunningEmulator {
  port: number;
  /** e.g. http://127.0.0.1:PORT */
  origin: string;
  /** origin + '/api/v1' */
  baseUrl: string;
  /** Every /api/v1 request, in arrival order (live array). */
  readonly requests: EmulatorRecord[];
  createKey(opts: { name: string; scopes?: string[]; expiresAt?: string | null }): EmulatorKey;
  revokeKey(id: string): void;
  expireKey(id: string): void;
  setFault(fault: EmulatorFault): void;
  configure(opts: EmulatorConfig): void;
  /** Forget keys, users, counters, faults, request log; restore the start-up configuration. */
  reset(): void;
  /** Stops the server and destroys open (keep-alive) connections. Idempotent. */
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------
// Constants
// ---------------------------------------------------------------------------

export const API_PREFIX = '/api/v1';
export const ADMIN_PREFIX = '/__admin';
/** Where the redirect fault points: another host (loopback alias, discard port). */
export const REDIRECT_ORIGIN = 'http://127.0.0.2:9';
export const HUGE_CONTENT_LENGTH = 2147483648;
export const OVERSIZED_BYTES = 2 * 1024 * 1024;
export const DEFAULT_REQUEST_LOG_LIMIT = 10_000;

const WINDOW_MS = 60_000;
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_CLIENT_HEADER = 200;

export const DETAIL = {
  notProvided: 'Authentication credentials were not provided.',
  invalidKey: 'Invalid API key.',
  expiredKey: 'API key has expired.',
  forbidden: 'You do not have permission to perform this action.',
  notFound: 'Not found.',
  invalidCursor: 'Invalid cursor',
  emailTaken: 'Email already registered.',
  invalidEmail: 'Enter a valid email address.',
  required: 'This field is required.',
  blank: 'This field may not be blank.',
  isNull: 'This field may not be null.',
  notString: 'Not a valid string.',
  jsonParse: 'JSON parse error',
  serverError: 'A server error occurred.',
  tooLarge: 'Request body too large.',
  passwordSimilar: 'The password is too similar to the email address.',
  passwordTooShort: 'This password is too short. It must contain at least 8 characters.',
  passwordTooCommon: 'This password is too common.',
  passwordNumeric: 'This password is entirely numeric.',
  adminLoopbackOnly: 'The emulator admin API only answers loopback clients.',
  throttled: (seconds: number): string => `Request was throttled. Expected available in ${seconds} seconds.`,
  methodNotAllowed: (method: string): string => `Method "${method}" not allowed.`,
  maxLength: (n: number): string => `Ensure this field has no more than ${n} characters.`,
  unsupportedMediaType: (type: string): string => `Unsupported media type "${type}" in request.`,
} as const;

export const DEMO_ORGANIZATION = {
  uid: '5f0c7a2e-3b1d-4c8e-9a6f-0d2b4e6a8c10',
  name: 'Demo Organization',
  slug: 'demo-organization',
} as const;

// Fixed demo data for the list routes real clients call, in the field names of Avala's SDKs.
// Constant on purpose: every run, test and demo sees the same pages.

export const DEMO_PROJECTS = [
  {
    uid: '8b1e4c2a-6d3f-4a7b-9c5e-2f0a1b3c4d01',
    name: 'Warehouse Pallet Detection',
    status: 'active',
    created_at: '2026-01-12T09:30:00Z',
    updated_at: '2026-11-02T14:05:00Z',
  },
  {
    uid: '8b1e4c2a-6d3f-4a7b-9c5e-2f0a1b3c4d02',
    name: 'Sidewalk Robot Segmentation',
    status: 'active',
    created_at: '2026-02-03T11:00:00Z',
    updated_at: '2026-11-20T08:42:00Z',
  },
  {
    uid: '8b1e4c2a-6d3f-4a7b-9c5e-2f0a1b3c4d03',
    name: 'Forklift Lidar Tracking',
    status: 'paused',
    created_at: '2026-03-18T16:20:00Z',
    updated_at: '2026-09-30T10:15:00Z',
  },
  {
    uid: '8b1e4c2a-6d3f-4a7b-9c5e-2f0a1b3c4d04',
    name: 'Dock Door Occupancy',
    status: 'completed',
    created_at: '2026-04-07T08:10:00Z',
    updated_at: '2026-08-14T17:55:00Z',
  },
  {
    uid: '8b1e4c2a-6d3f-4a7b-9c5e-2f0a1b3c4d05',
    name: 'Shelf Gap Classification',
    status: 'active',
    created_at: '2026-05-22T13:45:00Z',
    updated_at: '2026-11-28T12:30:00Z',
  },
  {
    uid: '8b1e4c2a-6d3f-4a7b-9c5e-2f0a1b3c4d06',
    name: 'Drone Roof Inspection',
    status: 'draft',
    created_at: '2026-07-01T07:00:00Z',
    updated_at: '2026-07-01T07:00:00Z',
  },
  {
    uid: '8b1e4c2a-6d3f-4a7b-9c5e-2f0a1b3c4d07',
    name: 'Loading Bay Pose Estimation',
    status: 'archived',
    created_at: '2025-11-09T15:25:00Z',
    updated_at: '2026-06-11T09:05:00Z',
  },
] as const;

export const DEMO_EXPORTS = [
  {
    uid: 'e4a7d2c1-0b9f-4e3d-8a6c-5b4a3c2d1e01',
    status: 'completed',
    download_url: 'https://downloads.example.com/exports/e4a7d2c1-0b9f-4e3d-8a6c-5b4a3c2d1e01.zip',
    created_at: '2026-10-05T10:00:00Z',
    updated_at: '2026-10-05T10:12:00Z',
  },
  {
    uid: 'e4a7d2c1-0b9f-4e3d-8a6c-5b4a3c2d1e02',
    status: 'completed',
    download_url: 'https://downloads.example.com/exports/e4a7d2c1-0b9f-4e3d-8a6c-5b4a3c2d1e02.zip',
    created_at: '2026-10-19T15:30:00Z',
    updated_at: '2026-10-19T15:41:00Z',
  },
  {
    uid: 'e4a7d2c1-0b9f-4e3d-8a6c-5b4a3c2d1e03',
    status: 'failed',
    download_url: null,
    created_at: '2026-11-02T09:15:00Z',
    updated_at: '2026-11-02T09:16:00Z',
  },
  {
    uid: 'e4a7d2c1-0b9f-4e3d-8a6c-5b4a3c2d1e04',
    status: 'processing',
    download_url: null,
    created_at: '2026-11-30T18:00:00Z',
    updated_at: '2026-11-30T18:03:00Z',
  },
  {
    uid: 'e4a7d2c1-0b9f-4e3d-8a6c-5b4a3c2d1e05',
    status: 'pending',
    download_url: null,
    created_at: '2026-12-01T08:45:00Z',
    updated_at: '2026-12-01T08:45:00Z',
  },
] as const;

export const DEMO_FLEET_DEVICES = [
  {
    uid: 'c2f5b8e1-7a4d-4c6b-9e3f-8d7c6b5a4f01',
    name: 'amr-north-01',
    type: 'robot',
    status: 'online',
    tags: ['warehouse-north', 'amr'],
    firmware_version: '4.2.1',
    metadata: { site: 'north' },
    last_seen_at: '2026-12-02T23:58:00Z',
    device_token: null,
    created_at: '2026-02-14T10:00:00Z',
    updated_at: '2026-12-02T23:58:00Z',
  },
  {
    uid: 'c2f5b8e1-7a4d-4c6b-9e3f-8d7c6b5a4f02',
    name: 'amr-north-02',
    type: 'robot',
    status: 'offline',
    tags: ['warehouse-north', 'amr'],
    firmware_version: '4.1.9',
    metadata: { site: 'north' },
    last_seen_at: '2026-11-29T06:12:00Z',
    device_token: null,
    created_at: '2026-02-14T10:05:00Z',
    updated_at: '2026-11-29T06:12:00Z',
  },
  {
    uid: 'c2f5b8e1-7a4d-4c6b-9e3f-8d7c6b5a4f03',
    name: 'forklift-dock-07',
    type: 'vehicle',
    status: 'maintenance',
    tags: ['dock'],
    firmware_version: '2.0.3',
    metadata: { site: 'dock', lidar: true },
    last_seen_at: '2026-12-01T17:40:00Z',
    device_token: null,
    created_at: '2026-03-02T08:30:00Z',
    updated_at: '2026-12-01T17:40:00Z',
  },
  {
    uid: 'c2f5b8e1-7a4d-4c6b-9e3f-8d7c6b5a4f04',
    name: 'inspection-drone-a',
    type: 'drone',
    status: 'online',
    tags: ['roof', 'inspection'],
    firmware_version: '1.8.0',
    metadata: { site: 'south' },
    last_seen_at: '2026-12-03T07:15:00Z',
    device_token: null,
    created_at: '2026-06-20T12:00:00Z',
    updated_at: '2026-12-03T07:15:00Z',
  },
] as const;

/** Results per page when a request names no usable `limit` (inferred: Avala does not publish its page size). */
export const DEFAULT_PAGE_SIZE = 100;

const COMMON_PASSWORDS = new Set([
  'password',
  'password1',
  'password12',
  'password123',
  'passw0rd',
  '12345678',
  '123456789',
  '1234567890',
  '87654321',
  '11111111',
  '00000000',
  'qwertyui',
  'qwerty123',
  'qwertyuiop',
  'iloveyou',
  'letmein1',
  'welcome1',
  'admin123',
  'abc12345',
  'abcd1234',
  'baseball',
  'football',
  'sunshine',
  'princess',
  'trustno1',
  'changeme',
  'superman',
]);

const MALFORMED_BODY = '{"type":"customer","is_staff_privileged":false,"scopes":["datasets.re';

const GATEWAY_HTML = (status: number): string =>
  `<!DOCTYPE html>\n<html>\n<head><title>${status} Bad Gateway</title></head>\n<body>\n<center><h1>${status} Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n`;

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

type KeyState = EmulatorKey;

interface UserState {
  uid: string;
  username: string;
  email: string;
  first_name: string | null;
  last_name: string | null;
  in_waitlist: boolean;
}

interface Throttle {
  allowed: boolean;
  headers: Record<string, string>;
  retryAfter: number;
}

class RollingLimiter {
  private readonly hits = new Map<string, number[]>();

  take(id: string, limit: number, now: number): Throttle {
    const cutoff = now - WINDOW_MS;
    let arr = this.hits.get(id);
    if (!arr) {
      if (this.hits.size >= 1000) this.prune(cutoff);
      arr = [];
      this.hits.set(id, arr);
    }
    while (arr.length > 0 && arr[0] <= cutoff) arr.shift();
    if (arr.length >= limit) {
      // A slot frees when enough of the oldest hits have left the window.
      const freeAt = arr[arr.length - limit] + WINDOW_MS;
      const retryAfter = Math.max(1, Math.ceil((freeAt - now) / 1000));
      return {
        allowed: false,
        retryAfter,
        headers: {
          'X-RateLimit-Limit': String(limit),
          'X-RateLimit-Remaining': '0',
          'X-RateLimit-Reset': String(Math.ceil(now / 1000) + retryAfter),
        },
      };
    }
    arr.push(now);
    return {
      allowed: true,
      retryAfter: 0,
      headers: {
        'X-RateLimit-Limit': String(limit),
        'X-RateLimit-Remaining': String(Math.max(0, limit - arr.length)),
        'X-RateLimit-Reset': String(Math.ceil((arr[0] + WINDOW_MS) / 1000)),
      },
    };
  }

  clear(): void {
    this.hits.clear();
  }

  private prune(cutoff: number): void {
    for (const [id, arr] of this.hits) {
      if (arr.length === 0 || arr[arr.length - 1] <= cutoff) this.hits.delete(id);
    }
  }
}

function randomHex(bytes: number): string {
  return crypto.randomBytes(bytes).toString('hex');
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function isPositiveInt(value: unknown, max = Number.MAX_SAFE_INTEGER): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= max;
}

const LOCAL_ATOM = /^[\p{L}\p{N}\p{M}!#$%&'*+/=?^_`{|}~-]+$/u;
const DOMAIN_LABEL = /^[\p{L}\p{N}\p{M}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?$/u;
const TLD = /^(?:\p{L}[\p{L}\p{M}]+|xn--[a-z0-9-]{1,59})$/iu;

/** A lenient validator in the spirit of Django's, extended to internationalised addresses. */
export function isValidEmail(email: string): boolean {
  if (email.length === 0 || email.length > 320) return false;
  if (/[\s\p{Cc}]/u.test(email)) return false;
  const at = email.lastIndexOf('@');
  if (at <= 0 || at === email.length - 1) return false;
  const local = email.slice(0, at);
  const domain = email.slice(at + 1);
  if (local.length > 64) return false;
  if (!local.split('.').every((atom) => atom.length > 0 && LOCAL_ATOM.test(atom))) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  if (!labels.every((label) => label.length > 0 && label.length <= 63 && DOMAIN_LABEL.test(label))) return false;
  return TLD.test(labels[labels.length - 1]);
}

/** Django-style password validation; returns the messages in Django's validator order. */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  const lower = password.toLowerCase();
  const mail = email.toLowerCase();
  const localPart = mail.slice(0, Math.max(0, mail.lastIndexOf('@')));
  if (lower === mail || (localPart.length >= 3 && lower === localPart)) problems.push(DETAIL.passwordSimilar);
  if ([...password].length < 8) problems.push(DETAIL.passwordTooShort);
  if (COMMON_PASSWORDS.has(lower.trim())) problems.push(DETAIL.passwordTooCommon);
  if (/^\p{Nd}+$/u.test(password)) problems.push(DETAIL.passwordNumeric);
  return problems;
}

function jsonTypeName(value: unknown): string {
  if (value === null) return 'NoneType';
  if (Array.isArray(value)) return 'list';
  if (typeof value === 'string') return 'str';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  return 'dict';
}

type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

function readBody(req: http.IncomingMessage, limit = MAX_BODY_BYTES): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyResult): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        finish({ ok: false, reason: 'too-large' });
        req.resume();
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => finish({ ok: true, body: Buffer.concat(chunks) });
    const onError = (): void => finish({ ok: false, reason: 'aborted' });
    const onClose = (): void => {
      if (!req.complete) finish({ ok: false, reason: 'aborted' });
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
  });
}

function splitUrl(raw: string): { pathname: string; query: string } {
  let target = raw;
  if (/^https?:\/\//i.test(target)) {
    try {
      const u = new URL(target);
      target = u.pathname + u.search;
    } catch {
      target = '/';
    }
  }
  const q = target.indexOf('?');
  if (q < 0) return { pathname: target, query: '' };
  return { pathname: target.slice(0, q), query: target.slice(q + 1) };
}

function headerString(value: string | string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(', ') : value;
}

function formatOrigin(host: string, port: number): string {
  let h = host;
  if (h === '0.0.0.0' || h === '') h = '127.0.0.1';
  else if (h === '::') h = '::1';
  if (h.includes(':')) h = `[${h}]`;
  return `http://${h}:${port}`;
}

/** The origin a client used to reach us (its Host header), for the absolute links of a page. */
function requestOrigin(req: http.IncomingMessage): string {
  const host = headerString(req.headers.host);
  if (host && /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(host)) return `http://${host}`;
  return formatOrigin(req.socket.localAddress ?? '127.0.0.1', req.socket.localPort ?? 0);
}

function publicKeyView(k: KeyState): Omit<EmulatorKey, 'key'> & { expired: boolean } {
  return {
    id: k.id,
    name: k.name,
    scopes: [...k.scopes],
    created_at: k.created_at,
    expires_at: k.expires_at,
    revoked: k.revoked,
    expired: isExpired(k, Date.now()),
  };
}

function isExpired(k: EmulatorKey, now: number): boolean {
  return k.expires_at !== null && Date.parse(k.expires_at) <= now;
}

function validateFault(input: unknown): EmulatorFault {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('fault must be an object');
  }
  const f = input as Record<string, unknown>;
  if (typeof f.mode !== 'string' || !(FAULT_MODES as readonly string[]).includes(f.mode)) {
    throw new TypeError(`mode must be one of: ${FAULT_MODES.join(', ')}`);
  }
  const out: EmulatorFault = { mode: f.mode as FaultMode };
  if (f.ms !== undefined && f.ms !== null) {
    if (typeof f.ms !== 'number' || !Number.isInteger(f.ms) || f.ms < 0 || f.ms > 600_000) {
      throw new TypeError('ms must be an integer between 0 and 600000');
    }
    out.ms = f.ms;
  }
  if (f.count !== undefined && f.count !== null) {
    if (!isPositiveInt(f.count)) throw new TypeError('count must be a positive integer');
    out.count = f.count;
  }
  if (f.status !== undefined && f.status !== null) {
    if (typeof f.status !== 'number' || !Number.isInteger(f.status) || f.status < 200 || f.status > 599) {
      throw new TypeError('status must be an integer between 200 and 599');
    }
    if (out.mode === 'redirect' && (f.status < 300 || f.status > 399)) {
      throw new TypeError('status for redirect must be 3xx');
    }
    out.status = f.status;
  }
  return out;
}

function validateConfig(input: unknown): EmulatorConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TypeError('config must be an object');
  }
  const c = input as Record<string, unknown>;
  const out: EmulatorConfig = {};
  if (c.permissionsEndpoint !== undefined) {
    if (typeof c.permissionsEndpoint !== 'boolean') throw new TypeError('permissionsEndpoint must be a boolean');
    out.permissionsEndpoint = c.permissionsEndpoint;
  }
  for (const name of ['rateLimitPerMinute', 'signupLimitPerMinute', 'anonymousLimitPerMinute'] as const) {
    if (c[name] !== undefined) {
      if (!isPositiveInt(c[name], 1_000_000)) throw new TypeError(`${name} must be a positive integer`);
      out[name] = c[name] as number;
    }
  }
  if (c.corsOrigin !== undefined) {
    if (typeof c.corsOrigin !== 'string' || /[\r\n]/.test(c.corsOrigin)) throw new TypeError('corsOrigin must be a one-line string');
    out.corsOrigin = c.corsOrigin;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------

interface ApiContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  record: EmulatorRecord;
  key?: KeyState;
  headers: Record<string, string>;
}

interface Route {
  methods: string[];
  auth: boolean;
  scope?: string;
  /** For a list route: what its cursor pages hold. */
  items?: readonly unknown[];
}

// Keyed by the path after /api/v1, with the trailing slash every real route has.
const ROUTES: Record<string, Route> = {
  '/signup/': { methods: ['POST'], auth: false },
  '/users/me/permissions/': { methods: ['GET', 'HEAD'], auth: true },
  '/organizations/': { methods: ['GET', 'HEAD'], auth: true, items: [DEMO_ORGANIZATION] },
  '/agents/': { methods: ['GET', 'HEAD'], auth: true, scope: 'agents.read', items: [] },
  '/datasets/': { methods: ['GET', 'HEAD'], auth: true, scope: 'datasets.read', items: [] },
  '/projects/': { methods: ['GET', 'HEAD'], auth: true, scope: 'projects.read', items: DEMO_PROJECTS },
  // The emulator has one user, a member of every project.
  '/users/me/projects/': { methods: ['GET', 'HEAD'], auth: true, scope: 'projects.read', items: DEMO_PROJECTS },
  // exports.create, not exports.read, though this GET only lists: Avala's authentication page
  // (the primary source) documents exports.create as "Create new exports and download completed
  // exports" and advises a key with exports.create only for a pipeline that downloads exports,
  // which must list them to find one. exports.read is not among the scopes it documents for
  // keys; it was seen only in Avala's own tools (the MCP server gates list_exports on it).
  '/exports/': { methods: ['GET', 'HEAD'], auth: true, scope: 'exports.create', items: DEMO_EXPORTS },
  '/fleet/devices/': { methods: ['GET', 'HEAD'], auth: true, scope: 'fleet.read', items: DEMO_FLEET_DEVICES },
};

/**
 * Where a path after /api/v1 leads. Django's APPEND_SLASH (CommonMiddleware): a path that
 * matches no route but would with a slash appended is answered 301 to the slashed path, for
 * every method, because the decision is made on the URL alone (only a DEBUG server refuses to
 * redirect POST, PUT and PATCH, with a 500). Anything else unknown, including a doubled slash,
 * is 404.
 */
function resolveRoute(sub: string, config: Required<EmulatorConfig>): { route: Route } | { slashed: string } | undefined {
  const known = (path: string): Route | undefined => {
    if (!Object.prototype.hasOwnProperty.call(ROUTES, path)) return undefined;
    if (path === '/users/me/permissions/' && !config.permissionsEndpoint) return undefined;
    return ROUTES[path];
  };
  const route = known(sub);
  if (route) return { route };
  if (!sub.endsWith('/') && known(`${sub}/`)) return { slashed: `${sub}/` };
  return undefined;
}

function encodeCursor(offset: number): string {
  return Buffer.from(`o=${offset}`, 'ascii').toString('base64');
}

/** The offset a cursor names; undefined when it is not one this emulator made. */
function decodeCursor(cursor: string): number | undefined {
  if (cursor === '') return 0;
  const m = /^o=(\d{1,9})$/.exec(Buffer.from(cursor, 'base64').toString('latin1'));
  return m ? Number(m[1]) : undefined;
}

/**
 * One DRF-style cursor page of `items`: `limit` is the page size (a positive integer; anything
 * else means the default), `cursor` is opaque, and `next` / `previous` are absolute URLs that
 * keep the rest of the query. Undefined for a cursor that does not decode (DRF: 404).
 */
function cursorPage(
  items: readonly unknown[],
  query: string,
  pageUrl: string,
): { next: string | null; previous: string | null; results: unknown[] } | undefined {
  const params = new URLSearchParams(query);
  const rawLimit = (params.get('limit') ?? '').trim();
  const limit = /^\d{1,9}$/.test(rawLimit) && Number(rawLimit) > 0 ? Number(rawLimit) : DEFAULT_PAGE_SIZE;
  const cursor = params.get('cursor');
  const offset = cursor === null ? 0 : decodeCursor(cursor);
  if (offset === undefined) return undefined;
  const link = (at: number): string => {
    const linked = new URLSearchParams(params);
    linked.set('cursor', encodeCursor(at));
    return `${pageUrl}?${linked.toString()}`;
  };
  return {
    next: offset + limit < items.length ? link(offset + limit) : null,
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : null,
    results: items.slice(offset, offset + limit),
  };
}

// ---------------------------------------------------------------------------
// Emulator
// ---------------------------------------------------------------------------

export async function startEmulator(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const quiet = opts.quiet ?? true;
  const logLimit = isPositiveInt(opts.requestLogLimit) ? opts.requestLogLimit : DEFAULT_REQUEST_LOG_LIMIT;
  const initialConfig = validateConfig({
    permissionsEndpoint: true,
    rateLimitPerMinute: opts.rateLimitPerMinute ?? 100,
    signupLimitPerMinute: opts.signupLimitPerMinute ?? 5,
    anonymousLimitPerMinute: opts.anonymousLimitPerMinute ?? 30,
    corsOrigin: '*',
  }) as Required<EmulatorConfig>;

  let config: Required<EmulatorConfig> = { ...initialConfig };
  let fault: EmulatorFault & { remaining?: number } = { mode: 'none' };
  let seq = 0;
  let closing = false;
  const requests: EmulatorRecord[] = [];
  const keysById = new Map<string, KeyState>();
  const keysByValue = new Map<string, KeyState>();
  const users = new Map<string, UserState>();
  const keyLimiter = new RollingLimiter();
  const anonLimiter = new RollingLimiter();
  const signupLimiter = new RollingLimiter();
  const sockets = new Set<Socket>();
  const pendingWaits = new Set<() => void>();

  // --- keys ---------------------------------------------------------------

  function createKey(o: { name: string; scopes?: string[]; expiresAt?: string | null }): EmulatorKey {
    if (typeof o.name !== 'string' || o.name.length === 0) throw new TypeError('name must be a non-empty string');
    const scopes = o.scopes ?? [];
    if (!Array.isArray(scopes) || !scopes.every((s) => typeof s === 'string')) {
      throw new TypeError('scopes must be an array of strings');
    }
    let expiresAt: string | null = null;
    if (o.expiresAt !== undefined && o.expiresAt !== null) {
      const t = Date.parse(o.expiresAt);
      if (typeof o.expiresAt !== 'string' || Number.isNaN(t)) throw new TypeError('expiresAt must be an ISO date or null');
      expiresAt = new Date(t).toISOString();
    }
    let id: string;
    do id = `key_${randomHex(4)}`;
    while (keysById.has(id));
    const k: KeyState = {
      id,
      key: `avk_${randomHex(20)}`,
      name: o.name,
      scopes: [...scopes],
      created_at: new Date().toISOString(),
      expires_at: expiresAt,
      revoked: false,
    };
    keysById.set(k.id, k);
    keysByValue.set(k.key, k);
    return { ...k, scopes: [...k.scopes] };
  }

  function mustGetKey(id: string): KeyState {
    const k = keysById.get(id);
    if (!k) throw new Error(`Unknown key id: ${id}`);
    return k;
  }

  function revokeKey(id: string): void {
    mustGetKey(id).revoked = true;
  }

  function expireKey(id: string): void {
    mustGetKey(id).expires_at = new Date(Date.now() - 1000).toISOString();
  }

  function setFault(f: EmulatorFault): void {
    const v = validateFault(f);
    fault = v.mode === 'none' ? { mode: 'none' } : { ...v, remaining: v.count };
  }

  function configure(c: EmulatorConfig): void {
    const v = validateConfig(c);
    config = { ...config, ...v };
  }

  function reset(): void {
    keysById.clear();
    keysByValue.clear();
    users.clear();
    keyLimiter.clear();
    anonLimiter.clear();
    signupLimiter.clear();
    fault = { mode: 'none' };
    config = { ...initialConfig };
    requests.length = 0;
  }

  /** Takes one use of the current fault, if any. */
  function takeFault(): EmulatorFault | undefined {
    if (fault.mode === 'none') return undefined;
    const current: EmulatorFault = { ...fault };
    if (fault.remaining !== undefined) {
      fault.remaining -= 1;
      if (fault.remaining <= 0) fault = { mode: 'none' };
    }
    return current;
  }

  // --- responses ------------------------------------------------------------

  function send(
    ctx: { res: http.ServerResponse; record?: EmulatorRecord },
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = JSON.stringify(body);
    if (ctx.record) ctx.record.status = status;
    if (ctx.res.headersSent || ctx.res.destroyed) return;
    ctx.res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': String(Buffer.byteLength(text)),
      'Cache-Control': 'no-store',
      ...headers,
    });
    ctx.res.end(text);
  }

  /** A redirect with an empty body, as Django and gateways send one. */
  function sendRedirect(ctx: ApiContext, status: number, location: string, headers: Record<string, string> = {}): void {
    ctx.record.status = status;
    if (ctx.res.headersSent || ctx.res.destroyed) return;
    ctx.res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': '0', ...headers, Location: location });
    ctx.res.end();
  }

  /** Resolves true after ms, false if the server closes or the client goes away first. */
  function wait(ms: number, res: http.ServerResponse): Promise<boolean> {
    return new Promise((resolve) => {
      if (closing || res.destroyed) {
        resolve(false);
        return;
      }
      let settled = false;
      const settle = (value: boolean): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        pendingWaits.delete(abort);
        res.off('close', abort);
        resolve(value);
      };
      const abort = (): void => settle(false);
      const timer = setTimeout(() => settle(true), ms);
      pendingWaits.add(abort);
      res.once('close', abort);
    });
  }

  async function streamOversized(res: http.ServerResponse): Promise<void> {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
    let written = 0;
    let n = 0;
    const push = async (chunk: string): Promise<boolean> => {
      if (res.destroyed || closing) return false;
      written += Buffer.byteLength(chunk);
      if (!res.write(chunk)) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            res.off('drain', done);
            res.off('close', done);
            resolve();
          };
          res.on('drain', done);
          res.on('close', done);
        });
      }
      return !res.destroyed && !closing;
    };
    if (!(await push('{"next":null,"previous":null,"results":['))) return;
    // Bounded: stops once OVERSIZED_BYTES have been written.
    while (written < OVERSIZED_BYTES) {
      const parts: string[] = [];
      for (let i = 0; i < 512; i++) {
        n += 1;
        const uid = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
        parts.push(
          `${n === 1 ? '' : ','}{"uid":"${uid}","name":"Dataset ${n}","slug":"dataset-${n}","item_count":${n % 1000},"visibility":"private"}`,
        );
      }
      if (!(await push(parts.join('')))) return;
    }
    if (!res.destroyed && !closing) res.end(']}');
  }

  function applyFault(f: EmulatorFault, ctx: ApiContext, pathname: string, query: string): void {
    const { res, record, req } = ctx;
    req.resume();
    switch (f.mode) {
      case 'error500':
        send(ctx, f.status ?? 500, { detail: DETAIL.serverError });
        return;
      case 'malformed':
        record.status = 200;
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(MALFORMED_BODY)),
        });
        res.end(MALFORMED_BODY);
        return;
      case 'reset': {
        record.status = 0;
        const socket = req.socket as Socket & { resetAndDestroy?: () => void };
        if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
        else socket.destroy();
        return;
      }
      case 'redirect':
        sendRedirect(ctx, f.status ?? 302, `${REDIRECT_ORIGIN}${pathname}${query ? `?${query}` : ''}`);
        return;
      case 'html': {
        const status = f.status ?? 502;
        const html = GATEWAY_HTML(status);
        record.status = status;
        res.writeHead(status, { 'Content-Type': 'text/html', 'Content-Length': String(Buffer.byteLength(html)) });
        res.end(html);
        return;
      }
      case 'empty':
        record.status = 200;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '0' });
        res.end();
        return;
      case 'huge': {
        record.status = 200;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': String(HUGE_CONTENT_LENGTH) });
        const items: string[] = [];
        for (let i = 1; i <= 40; i++) items.push(`{"uid":"huge-${i}","name":"Item ${i}","slug":"item-${i}","pad":"${'x'.repeat(48)}"}`);
        res.write(`{"next":null,"previous":null,"results":[${items.join(',')}`);
        // Hang until the client goes away or the server closes; a safety net ends it after 10 minutes.
        const safety = setTimeout(() => res.destroy(), 600_000);
        safety.unref();
        res.once('close', () => clearTimeout(safety));
        return;
      }
      case 'oversized':
        record.status = 200;
        void streamOversized(res).catch(() => res.destroy());
        return;
      default:
        return;
    }
  }

  // --- API ------------------------------------------------------------------

  function appendRecord(r: EmulatorRecord): void {
    requests.push(r);
    if (requests.length > logLimit) requests.splice(0, requests.length - logLimit);
  }

  async function handleApi(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, query: string): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const rawKey = headerString(req.headers['x-avala-api-key']);
    const client = headerString(req.headers['x-avala-client']);
    const sentKey = rawKey ? keysByValue.get(rawKey) : undefined;
    const record: EmulatorRecord = {
      seq: ++seq,
      time: Date.now(),
      method,
      path: pathname,
      query,
      status: 0,
      keySent: rawKey !== undefined,
    };
    if (sentKey) record.keyId = sentKey.id;
    if (client !== undefined) record.client = client.slice(0, MAX_CLIENT_HEADER);
    appendRecord(record);
    if (!quiet) {
      res.once('close', () => {
        const line = `${new Date(record.time).toISOString()} #${record.seq} ${method} ${pathname}${query ? `?${query}` : ''} -> ${record.status || 'no response'}${record.keyId ? ` key=${record.keyId}` : record.keySent ? ' key=unknown' : ''}${record.fault ? ` fault=${record.fault}` : ''}\n`;
        process.stderr.write(line);
      });
    }

    const ctx: ApiContext = { req, res, record, headers: {} };

    const f = takeFault();
    if (f) {
      record.fault = f.mode;
      if (f.mode !== 'latency') {
        applyFault(f, ctx, pathname, query);
        return;
      }
      if (!(await wait(f.ms ?? 1000, res))) {
        req.resume();
        if (closing) res.destroy();
        return;
      }
    }

    // Look the key up again: a latency fault may have spanned a reset().
    const known = rawKey ? keysByValue.get(rawKey) : undefined;
    const sub = pathname.slice(API_PREFIX.length);
    const resolved = resolveRoute(sub, config);
    const now = Date.now();
    const ip = req.socket.remoteAddress ?? 'unknown';
    const valid = known && !known.revoked && !isExpired(known, now) ? known : undefined;
    let throttle: Throttle;
    if (sub === '/signup/') throttle = signupLimiter.take(ip, config.signupLimitPerMinute, now);
    else if (valid) throttle = keyLimiter.take(valid.id, config.rateLimitPerMinute, now);
    else throttle = anonLimiter.take(ip, config.anonymousLimitPerMinute, now);
    ctx.headers = throttle.headers;
    if (!throttle.allowed) {
      req.resume();
      send(ctx, 429, { detail: DETAIL.throttled(throttle.retryAfter) }, { ...ctx.headers, 'Retry-After': String(throttle.retryAfter) });
      return;
    }

    // Counted and throttled like every other answer (so it carries X-RateLimit-*), but given
    // before authentication, as Django's middleware answers before the view checks the key.
    // Location is relative and keeps the query, as Django sends it.
    if (resolved && 'slashed' in resolved) {
      req.resume();
      sendRedirect(ctx, 301, `${API_PREFIX}${resolved.slashed}${query ? `?${query}` : ''}`, ctx.headers);
      return;
    }

    const route = resolved?.route;
    if (!route) {
      req.resume();
      send(ctx, 404, { detail: DETAIL.notFound }, ctx.headers);
      return;
    }

    if (route.auth) {
      if (!rawKey) {
        req.resume();
        send(ctx, 401, { detail: DETAIL.notProvided }, ctx.headers);
        return;
      }
      if (!known || known.revoked) {
        req.resume();
        send(ctx, 401, { detail: DETAIL.invalidKey }, ctx.headers);
        return;
      }
      if (isExpired(known, now)) {
        req.resume();
        send(ctx, 401, { detail: DETAIL.expiredKey }, ctx.headers);
        return;
      }
      ctx.key = known;
    }

    if (!route.methods.includes(method)) {
      req.resume();
      send(ctx, 405, { detail: DETAIL.methodNotAllowed(method) }, { ...ctx.headers, Allow: route.methods.join(', ') });
      return;
    }

    if (route.scope && ctx.key && ctx.key.scopes.length > 0 && !ctx.key.scopes.includes(route.scope)) {
      req.resume();
      send(ctx, 403, { detail: DETAIL.forbidden }, ctx.headers);
      return;
    }

    if (sub === '/signup/') {
      await handleSignup(ctx);
      return;
    }
    req.resume();
    if (sub === '/users/me/permissions/') {
      send(
        ctx,
        200,
        {
          type: 'customer',
          is_staff_privileged: false,
          scopes: [...(ctx.key?.scopes ?? [])],
          capabilities: [],
          toolsets: ['docs', 'public'],
        },
        ctx.headers,
      );
      return;
    }
    const page = cursorPage(route.items ?? [], query, `${requestOrigin(req)}${pathname}`);
    if (page) send(ctx, 200, page, ctx.headers);
    else send(ctx, 404, { detail: DETAIL.invalidCursor }, ctx.headers);
  }

  async function handleSignup(ctx: ApiContext): Promise<void> {
    const { req } = ctx;
    const result = await readBody(req);
    if (!result.ok) {
      if (result.reason === 'too-large') send(ctx, 413, { detail: DETAIL.tooLarge }, { ...ctx.headers, Connection: 'close' });
      return;
    }
    const text = result.body.toString('utf8');
    let data: unknown = {};
    if (result.body.length > 0) {
      const contentType = (headerString(req.headers['content-type']) ?? '').split(';')[0].trim().toLowerCase();
      if (!(contentType === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(contentType))) {
        send(ctx, 415, { detail: DETAIL.unsupportedMediaType(contentType) }, ctx.headers);
        return;
      }
      try {
        data = JSON.parse(text);
      } catch {
        send(ctx, 400, { detail: DETAIL.jsonParse }, ctx.headers);
        return;
      }
    }
    if (data === null) {
      send(ctx, 400, { non_field_errors: ['No data provided'] }, ctx.headers);
      return;
    }
    if (typeof data !== 'object' || Array.isArray(data)) {
      send(ctx, 400, { non_field_errors: [`Invalid data. Expected a dictionary, but got ${jsonTypeName(data)}.`] }, ctx.headers);
      return;
    }
    const input = data as Record<string, unknown>;
    const errors: Record<string, string[]> = {};

    let email = '';
    if (!('email' in input)) errors.email = [DETAIL.required];
    else if (input.email === null) errors.email = [DETAIL.isNull];
    else if (typeof input.email !== 'string') errors.email = [DETAIL.notString];
    else {
      email = input.email.trim();
      if (email === '') errors.email = [DETAIL.blank];
      else if (!isValidEmail(email)) errors.email = [DETAIL.invalidEmail];
    }

    let password = '';
    if (!('password' in input)) errors.password = [DETAIL.required];
    else if (input.password === null) errors.password = [DETAIL.isNull];
    else if (typeof input.password !== 'string') errors.password = [DETAIL.notString];
    else if (input.password === '') errors.password = [DETAIL.blank];
    else password = input.password;

    const names: Record<'first_name' | 'last_name', string | null> = { first_name: '', last_name: '' };
    for (const field of ['first_name', 'last_name'] as const) {
      const v = input[field];
      if (v === undefined) continue;
      if (v === null) names[field] = null;
      else if (typeof v !== 'string') errors[field] = [DETAIL.notString];
      else if (v.trim().length > 150) errors[field] = [DETAIL.maxLength(150)];
      else names[field] = v.trim();
    }

    if (Object.keys(errors).length > 0) {
      send(ctx, 400, errors, ctx.headers);
      return;
    }

    const normalized = email.normalize('NFC').toLowerCase();
    if (users.has(normalized)) {
      send(ctx, 400, { detail: DETAIL.emailTaken }, ctx.headers);
      return;
    }

    const problems = passwordProblems(password, email);
    if (problems.length > 0) {
      send(ctx, 400, { detail: { password: problems } }, ctx.headers);
      return;
    }

    const user: UserState = {
      uid: crypto.randomUUID(),
      username: email,
      email,
      first_name: names.first_name,
      last_name: names.last_name,
      in_waitlist: false,
    };
    users.set(normalized, user);
    const key = createKey({ name: email, scopes: [] });
    send(ctx, 201, { user: { ...user }, api_key: key.key }, ctx.headers);
  }

  // --- admin ------------------------------------------------------------------

  async function readAdminJson(ctx: { req: http.IncomingMessage; res: http.ServerResponse }): Promise<Record<string, unknown> | undefined> {
    const result = await readBody(ctx.req, 64 * 1024);
    if (!result.ok) {
      if (result.reason === 'too-large') send(ctx, 413, { detail: DETAIL.tooLarge }, { Connection: 'close' });
      return undefined;
    }
    if (result.body.length === 0) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(result.body.toString('utf8'));
    } catch {
      send(ctx, 400, { detail: DETAIL.jsonParse });
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      send(ctx, 400, { detail: 'Expected a JSON object.' });
      return undefined;
    }
    return parsed as Record<string, unknown>;
  }

  async function handleAdmin(req: http.IncomingMessage, res: http.ServerResponse, pathname: string, query: string): Promise<void> {
    const ctx = { req, res };
    if (!isLoopback(req.socket.remoteAddress)) {
      req.resume();
      send(ctx, 403, { detail: DETAIL.adminLoopbackOnly });
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const sub = pathname.slice(ADMIN_PREFIX.length).replace(/\/+$/, '');
    const allow = (methods: string[]): boolean => {
      if (methods.includes(method)) return true;
      req.resume();
      send(ctx, 405, { detail: DETAIL.methodNotAllowed(method) }, { Allow: methods.join(', ') });
      return false;
    };

    if (sub === '') {
      if (!allow(['GET'])) return;
      send(ctx, 200, {
        endpoints: [
          'GET /__admin/keys',
          'POST /__admin/keys {"name","scopes"?,"expires_at"?}',
          'POST /__admin/keys/{id}/revoke',
          'POST /__admin/keys/{id}/expire',
          'GET|POST /__admin/faults {"mode","ms"?,"count"?,"status"?}',
          'GET|POST /__admin/config {"permissionsEndpoint"?,"rateLimitPerMinute"?,"signupLimitPerMinute"?,"anonymousLimitPerMinute"?}',
          'GET /__admin/requests?since=SEQ',
          'POST /__admin/reset',
        ],
        faultModes: FAULT_MODES,
      });
      return;
    }

    if (sub === '/keys') {
      if (!allow(['GET', 'POST'])) return;
      if (method === 'GET') {
        req.resume();
        send(ctx, 200, { keys: [...keysById.values()].map(publicKeyView) });
        return;
      }
      const body = await readAdminJson(ctx);
      if (!body) return;
      if (typeof body.name !== 'string' || body.name.trim() === '') {
        send(ctx, 400, { name: [DETAIL.required] });
        return;
      }
      if (
        body.scopes !== undefined &&
        body.scopes !== null &&
        (!Array.isArray(body.scopes) || !body.scopes.every((s) => typeof s === 'string'))
      ) {
        send(ctx, 400, { scopes: ['Expected a list of strings.'] });
        return;
      }
      const expires = body.expires_at;
      if (expires !== undefined && expires !== null && (typeof expires !== 'string' || Number.isNaN(Date.parse(expires)))) {
        send(ctx, 400, { expires_at: ['Enter a valid date/time.'] });
        return;
      }
      const k = createKey({
        name: body.name.trim(),
        scopes: (body.scopes as string[] | null | undefined) ?? [],
        expiresAt: (expires as string | null | undefined) ?? null,
      });
      send(ctx, 201, { id: k.id, key: k.key, name: k.name, scopes: k.scopes, created_at: k.created_at, expires_at: k.expires_at });
      return;
    }

    const keyAction = /^\/keys\/([^/]+)\/(revoke|expire)$/.exec(sub);
    if (keyAction) {
      if (!allow(['POST'])) return;
      req.resume();
      const k = keysById.get(decodeURIComponent(keyAction[1]));
      if (!k) {
        send(ctx, 404, { detail: DETAIL.notFound });
        return;
      }
      if (keyAction[2] === 'revoke') revokeKey(k.id);
      else expireKey(k.id);
      send(ctx, 200, publicKeyView(k));
      return;
    }

    if (sub === '/faults') {
      if (!allow(['GET', 'POST'])) return;
      if (method === 'POST') {
        const body = await readAdminJson(ctx);
        if (!body) return;
        try {
          setFault(body as unknown as EmulatorFault);
        } catch (e) {
          send(ctx, 400, { detail: (e as Error).message });
          return;
        }
      } else req.resume();
      const { remaining, ...shown } = fault;
      send(ctx, 200, { fault: shown, remaining: remaining ?? null });
      return;
    }

    if (sub === '/config') {
      if (!allow(['GET', 'POST'])) return;
      if (method === 'POST') {
        const body = await readAdminJson(ctx);
        if (!body) return;
        try {
          configure(body as EmulatorConfig);
        } catch (e) {
          send(ctx, 400, { detail: (e as Error).message });
          return;
        }
      } else req.resume();
      send(ctx, 200, { config });
      return;
    }

    if (sub === '/requests') {
      if (!allow(['GET'])) return;
      req.resume();
      const since = Number(new URLSearchParams(query).get('since') ?? '0');
      const from = Number.isFinite(since) ? since : 0;
      send(ctx, 200, { requests: requests.filter((r) => r.seq > from) });
      return;
    }

    if (sub === '/reset') {
      if (!allow(['POST'])) return;
      req.resume();
      reset();
      send(ctx, 200, { ok: true });
      return;
    }

    req.resume();
    send(ctx, 404, { detail: DETAIL.notFound });
  }

  // --- server -----------------------------------------------------------------

  const server = http.createServer((req, res) => {
    const { pathname, query } = splitUrl(req.url ?? '/');
    let handler: Promise<void>;
    const api = pathname === API_PREFIX || pathname.startsWith(`${API_PREFIX}/`);
    if (api && config.corsOrigin) {
      // What a browser needs to send X-Avala-Api-Key and read the answer (statuses, Retry-After, rate limits).
      res.setHeader('Access-Control-Allow-Origin', config.corsOrigin);
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After, X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset, Location');
      if (config.corsOrigin !== '*') res.setHeader('Vary', 'Origin');
    }
    if (api && (req.method ?? '').toUpperCase() === 'OPTIONS' && req.headers['access-control-request-method']) {
      // A CORS preflight: answered without a key, never recorded as an API call.
      req.resume();
      if (config.corsOrigin) {
        res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, PATCH, DELETE');
        res.setHeader('Access-Control-Allow-Headers', 'X-Avala-Api-Key, X-Avala-Client, Content-Type, Accept');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.writeHead(204, { 'Content-Length': '0' });
      res.end();
      return;
    }
    if (api) handler = handleApi(req, res, pathname, query);
    else if (pathname === ADMIN_PREFIX || pathname.startsWith(`${ADMIN_PREFIX}/`)) handler = handleAdmin(req, res, pathname, query);
    else {
      req.resume();
      send({ res }, 404, { detail: DETAIL.notFound });
      return;
    }
    handler.catch(() => {
      if (!res.headersSent && !res.destroyed) send({ res }, 500, { detail: DETAIL.serverError });
      else res.destroy();
    });
  });

  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (closing) socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => reject(err);
    server.once('error', onError);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  server.on('error', () => {
    /* errors after listen are per-connection; nothing to do */
  });

  const port = (server.address() as AddressInfo).port;
  const origin = formatOrigin(host, port);

  let closePromise: Promise<void> | undefined;
  function close(): Promise<void> {
    if (closePromise) return closePromise;
    closing = true;
    closePromise = new Promise<void>((resolve) => {
      for (const abort of [...pendingWaits]) abort();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closePromise;
  }

  return {
    port,
    origin,
    baseUrl: `${origin}${API_PREFIX}`,
    get requests(): EmulatorRecord[] {
      return requests;
    },
    createKey,
    revokeKey,
    expireKey,
    setFault,
    configure,
    reset,
    close,
  };
}
