/**
 * Tests of the Avala API emulator itself, over real HTTP (Node's fetch and node:http).
 */
import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import {
  startEmulator,
  DETAIL,
  DEFAULT_PAGE_SIZE,
  DEMO_EXPORTS,
  DEMO_FLEET_DEVICES,
  DEMO_PROJECTS,
  HUGE_CONTENT_LENGTH,
  OVERSIZED_BYTES,
  type RunningEmulator,
  type EmulatorOptions,
} from '../../emulator/emulator';
import { waitFor } from '../../harness/wait';

const KEY_RE = /^avk_[0-9a-f]{40}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Every scope shared/avala-api.md names: documented for keys, or seen in Avala's tools. */
const ALL_SCOPES = [
  'datasets.read',
  'datasets.write',
  'projects.read',
  'exports.create',
  'tasks.read',
  'agents.read',
  'webhooks.read',
  'storage.read',
  'exports.read',
  'fleet.read',
  'organizations.read',
  'slices.read',
  'qc.read',
];

/** The list routes Avala's SDKs and CLI call, with the scope each needs and the fields of Avala's SDK types. */
const CLIENT_ROUTES = [
  { path: '/projects/', scope: 'projects.read', items: DEMO_PROJECTS, fields: ['created_at', 'name', 'status', 'uid', 'updated_at'] },
  {
    path: '/users/me/projects/',
    scope: 'projects.read',
    items: DEMO_PROJECTS,
    fields: ['created_at', 'name', 'status', 'uid', 'updated_at'],
  },
  {
    path: '/exports/',
    scope: 'exports.create',
    items: DEMO_EXPORTS,
    fields: ['created_at', 'download_url', 'status', 'uid', 'updated_at'],
  },
  {
    path: '/fleet/devices/',
    scope: 'fleet.read',
    items: DEMO_FLEET_DEVICES,
    fields: [
      'created_at',
      'device_token',
      'firmware_version',
      'last_seen_at',
      'metadata',
      'name',
      'status',
      'tags',
      'type',
      'uid',
      'updated_at',
    ],
  },
] as const;

/** Every route of the emulated API, with its trailing slash. */
const ALL_ROUTES = ['/signup/', '/users/me/permissions/', '/organizations/', '/agents/', '/datasets/', ...CLIENT_ROUTES.map((r) => r.path)];

interface Page {
  next: string | null;
  previous: string | null;
  results: Array<Record<string, unknown>>;
}

let emu: RunningEmulator;

async function start(opts: EmulatorOptions = {}): Promise<RunningEmulator> {
  emu = await startEmulator({ quiet: true, ...opts });
  return emu;
}

interface CallOptions {
  method?: string;
  key?: string;
  json?: unknown;
  body?: string;
  headers?: Record<string, string>;
  redirect?: 'manual' | 'follow' | 'error';
  signal?: AbortSignal;
}

function call(p: string, o: CallOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...o.headers };
  if (o.key !== undefined) headers['X-Avala-Api-Key'] = o.key;
  let body: string | undefined = o.body;
  if (o.json !== undefined) {
    body = JSON.stringify(o.json);
    headers['Content-Type'] = 'application/json';
  }
  const url = p.startsWith('/__admin') ? `${emu.origin}${p}` : `${emu.baseUrl}${p}`;
  return fetch(url, {
    method: o.method ?? (body !== undefined ? 'POST' : 'GET'),
    headers,
    body,
    redirect: o.redirect ?? 'manual',
    signal: o.signal ?? AbortSignal.timeout(5000),
  });
}

async function jsonOf(res: Response): Promise<unknown> {
  return JSON.parse(await res.text());
}

function signup(email: string, password = 'Correct-Horse-42', extra: Record<string, unknown> = {}): Promise<Response> {
  return call('/signup/', { json: { email, password, ...extra } });
}

describe('Avala API emulator', () => {
  afterEach(async () => {
    if (emu) await emu.close();
  });

  describe('startup', () => {
    it('listens on 127.0.0.1 with a free port and exposes origin and baseUrl', async () => {
      await start();
      assert.ok(emu.port > 0);
      assert.equal(emu.origin, `http://127.0.0.1:${emu.port}`);
      assert.equal(emu.baseUrl, `http://127.0.0.1:${emu.port}/api/v1`);
    });
  });

  describe('signup', () => {
    beforeEach(() => start());

    it('returns 201 with the user and a fresh avk_ key of 40 lowercase hex characters', async () => {
      const res = await signup('dev@acme.com', 'SecurePass123!');
      assert.equal(res.status, 201);
      assert.equal(res.headers.get('content-type'), 'application/json');
      const body = (await jsonOf(res)) as { user: Record<string, unknown>; api_key: string };
      assert.deepEqual(Object.keys(body).sort(), ['api_key', 'user']);
      assert.match(body.api_key, KEY_RE);
      assert.deepEqual(Object.keys(body.user).sort(), ['email', 'first_name', 'in_waitlist', 'last_name', 'uid', 'username']);
      assert.equal(body.user.email, 'dev@acme.com');
      assert.equal(body.user.username, 'dev@acme.com');
      assert.equal(body.user.first_name, '');
      assert.equal(body.user.last_name, '');
      assert.equal(body.user.in_waitlist, false);
      assert.equal(typeof body.user.uid, 'string');
    });

    it('echoes first and last name', async () => {
      const res = await signup('ada@acme.com', 'SecurePass123!', { first_name: 'Ada', last_name: 'Lovelace' });
      const body = (await jsonOf(res)) as { user: Record<string, unknown> };
      assert.equal(body.user.first_name, 'Ada');
      assert.equal(body.user.last_name, 'Lovelace');
    });

    it('creates a full-access key named after the email that works on authenticated endpoints', async () => {
      const body = (await jsonOf(await signup('dev@acme.com'))) as { api_key: string };
      const keys = (await jsonOf(await call('/__admin/keys'))) as { keys: Array<Record<string, unknown>> };
      assert.equal(keys.keys.length, 1);
      assert.equal(keys.keys[0].name, 'dev@acme.com');
      assert.deepEqual(keys.keys[0].scopes, []);
      const perms = await call('/users/me/permissions/', { key: body.api_key });
      assert.equal(perms.status, 200);
      assert.deepEqual(((await jsonOf(perms)) as { scopes: string[] }).scopes, []);
      assert.equal((await call('/agents/', { key: body.api_key })).status, 200);
    });

    it('rejects a duplicate email (case-insensitively) with the exact detail', async () => {
      assert.equal((await signup('dev@acme.com')).status, 201);
      const res = await signup('DEV@acme.com');
      assert.equal(res.status, 400);
      assert.equal(await res.text(), '{"detail":"Email already registered."}');
    });

    for (const email of ['not-an-email', 'dev@localhost', 'dev@@acme.com', '@acme.com', 'dev@', 'dev acme@acme.com', 'dev@acme..com']) {
      it(`rejects the invalid email ${JSON.stringify(email)} with a bare field error`, async () => {
        const res = await signup(email);
        assert.equal(res.status, 400);
        assert.equal(await res.text(), '{"email":["Enter a valid email address."]}');
      });
    }

    for (const email of ['josé@exämple.com', 'dev+tag@sub.acme.co', 'пользователь@пример.рф', 'dev@xn--bcher-kva.example']) {
      it(`accepts the internationalised or unusual email ${JSON.stringify(email)}`, async () => {
        const res = await signup(email);
        assert.equal(res.status, 201, await res.clone().text());
        assert.equal(((await jsonOf(res)) as { user: { email: string } }).user.email, email);
      });
    }

    it('rejects a short password with the exact nested detail', async () => {
      const res = await signup('dev@acme.com', 'aB3$xy');
      assert.equal(res.status, 400);
      assert.equal(await res.text(), '{"detail":{"password":["This password is too short. It must contain at least 8 characters."]}}');
    });

    it('rejects an entirely numeric password', async () => {
      const res = await signup('dev@acme.com', '90417263');
      assert.equal(res.status, 400);
      assert.deepEqual(await jsonOf(res), { detail: { password: ['This password is entirely numeric.'] } });
    });

    it('rejects a common password', async () => {
      const res = await signup('dev@acme.com', 'Password');
      assert.equal(res.status, 400);
      assert.deepEqual(await jsonOf(res), { detail: { password: ['This password is too common.'] } });
    });

    it('reports every failing password rule for 12345678', async () => {
      const res = await signup('dev@acme.com', '12345678');
      assert.deepEqual(await jsonOf(res), {
        detail: { password: ['This password is too common.', 'This password is entirely numeric.'] },
      });
    });

    it('does not create a user when the password is weak', async () => {
      await signup('dev@acme.com', 'short');
      assert.equal((await signup('dev@acme.com')).status, 201);
    });

    it('reports missing fields as bare "This field is required." lists', async () => {
      const res = await call('/signup/', { json: {} });
      assert.equal(res.status, 400);
      assert.deepEqual(await jsonOf(res), { email: ['This field is required.'], password: ['This field is required.'] });
    });

    it('answers 400 "JSON parse error" to a body that is not JSON', async () => {
      const res = await call('/signup/', { body: '{"email": ', headers: { 'Content-Type': 'application/json' } });
      assert.equal(res.status, 400);
      assert.equal(await res.text(), '{"detail":"JSON parse error"}');
    });

    it('answers 415 to a body sent without a JSON content type', async () => {
      const res = await call('/signup/', {
        method: 'POST',
        body: 'email=dev%40acme.com',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(res.status, 415);
      assert.deepEqual(await jsonOf(res), { detail: 'Unsupported media type "application/x-www-form-urlencoded" in request.' });
    });

    it('answers 405 to GET /signup/', async () => {
      const res = await call('/signup/');
      assert.equal(res.status, 405);
      assert.equal(await res.text(), '{"detail":"Method \\"GET\\" not allowed."}');
    });

    it('throttles the 6th signup in a minute with Retry-After matching the detail', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await signup(`user${i}@acme.com`);
        assert.notEqual(res.status, 429, `signup ${i + 1} was throttled`);
      }
      const res = await signup('user5@acme.com');
      assert.equal(res.status, 429);
      const retry = res.headers.get('retry-after');
      assert.ok(retry && /^\d+$/.test(retry), `Retry-After: ${retry}`);
      const n = Number(retry);
      assert.ok(n >= 1 && n <= 60, `Retry-After ${n}`);
      assert.equal(await res.text(), `{"detail":"Request was throttled. Expected available in ${n} seconds."}`);
      assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
    });

    it('counts failed signups against the limit too and honours a configured signup limit', async () => {
      emu.configure({ signupLimitPerMinute: 2 });
      assert.equal((await call('/signup/', { json: {} })).status, 400);
      assert.equal((await call('/signup/', { json: {} })).status, 400);
      assert.equal((await signup('dev@acme.com')).status, 429);
    });
  });

  describe('authentication', () => {
    beforeEach(() => start());

    it('answers 401 "Authentication credentials were not provided." without a key', async () => {
      const res = await call('/users/me/permissions/');
      assert.equal(res.status, 401);
      assert.equal(await res.text(), '{"detail":"Authentication credentials were not provided."}');
    });

    it('answers 401 "Invalid API key." for an unknown key', async () => {
      const res = await call('/users/me/permissions/', { key: `avk_${'0'.repeat(40)}` });
      assert.equal(res.status, 401);
      assert.equal(await res.text(), '{"detail":"Invalid API key."}');
    });

    it('answers 401 "Invalid API key." for a revoked key', async () => {
      const k = emu.createKey({ name: 'ci' });
      assert.equal((await call('/agents/', { key: k.key })).status, 200);
      emu.revokeKey(k.id);
      const res = await call('/agents/', { key: k.key });
      assert.equal(res.status, 401);
      assert.equal(await res.text(), '{"detail":"Invalid API key."}');
    });

    it('answers 401 "API key has expired." for an expired key', async () => {
      const k = emu.createKey({ name: 'ci' });
      emu.expireKey(k.id);
      const res = await call('/agents/', { key: k.key });
      assert.equal(res.status, 401);
      assert.equal(await res.text(), '{"detail":"API key has expired."}');
      const past = emu.createKey({ name: 'old', expiresAt: '2001-01-01T00:00:00Z' });
      assert.equal(await (await call('/agents/', { key: past.key })).text(), '{"detail":"API key has expired."}');
    });

    it('accepts a key whose expiry is in the future', async () => {
      const k = emu.createKey({ name: 'later', expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
      assert.equal((await call('/agents/', { key: k.key })).status, 200);
    });

    it('exports the detail strings used on the wire', () => {
      assert.equal(DETAIL.notProvided, 'Authentication credentials were not provided.');
      assert.equal(DETAIL.invalidKey, 'Invalid API key.');
      assert.equal(DETAIL.expiredKey, 'API key has expired.');
    });
  });

  describe('endpoints', () => {
    beforeEach(() => start());

    it('returns the key scopes from /users/me/permissions/', async () => {
      const k = emu.createKey({ name: 'scoped', scopes: ['datasets.read', 'projects.read'] });
      const res = await call('/users/me/permissions/', { key: k.key });
      assert.equal(res.status, 200);
      assert.deepEqual(await jsonOf(res), {
        type: 'customer',
        is_staff_privileged: false,
        scopes: ['datasets.read', 'projects.read'],
        capabilities: [],
        toolsets: ['docs', 'public'],
      });
    });

    it('answers 404 on /users/me/permissions/ when the endpoint is configured off', async () => {
      const k = emu.createKey({ name: 'x' });
      emu.configure({ permissionsEndpoint: false });
      const res = await call('/users/me/permissions/', { key: k.key });
      assert.equal(res.status, 404);
      assert.equal(await res.text(), '{"detail":"Not found."}');
      assert.equal((await call('/organizations/?limit=1', { key: k.key })).status, 200);
    });

    it('returns a cursor page with one organisation from /organizations/?limit=1', async () => {
      const k = emu.createKey({ name: 'x', scopes: ['datasets.read'] });
      const res = await call('/organizations/?limit=1', { key: k.key });
      assert.equal(res.status, 200);
      const body = (await jsonOf(res)) as { next: unknown; previous: unknown; results: Array<Record<string, unknown>> };
      assert.equal(body.next, null);
      assert.equal(body.previous, null);
      assert.equal(body.results.length, 1);
      assert.deepEqual(Object.keys(body.results[0]).sort(), ['name', 'slug', 'uid']);
    });

    it('answers 403 on agents and datasets to a scoped key lacking the read scope', async () => {
      const k = emu.createKey({ name: 'narrow', scopes: ['projects.read'] });
      for (const p of ['/agents/', '/datasets/']) {
        const res = await call(p, { key: k.key });
        assert.equal(res.status, 403, p);
        assert.equal(await res.text(), '{"detail":"You do not have permission to perform this action."}');
      }
    });

    it('answers 200 on agents and datasets to keys with the matching scope or no scopes', async () => {
      const agents = emu.createKey({ name: 'a', scopes: ['agents.read'] });
      const datasets = emu.createKey({ name: 'd', scopes: ['datasets.read'] });
      const full = emu.createKey({ name: 'f' });
      assert.equal((await call('/agents/', { key: agents.key })).status, 200);
      assert.equal((await call('/datasets/', { key: agents.key })).status, 403);
      assert.equal((await call('/datasets/', { key: datasets.key })).status, 200);
      assert.equal((await call('/agents/', { key: datasets.key })).status, 403);
      for (const p of ['/agents/', '/datasets/']) {
        const res = await call(p, { key: full.key });
        assert.equal(res.status, 200);
        assert.deepEqual(await jsonOf(res), { next: null, previous: null, results: [] });
      }
    });

    it('answers the seed example GET /agents, without its trailing slash, with a 301 to /agents/ as Django does', async () => {
      const k = emu.createKey({ name: 'x' });
      for (const p of ['/agents', '/users/me/permissions']) {
        const res = await call(p, { key: k.key });
        assert.equal(res.status, 301, p);
        assert.equal(res.headers.get('location'), `/api/v1${p}/`);
        assert.equal((await call(`${p}/`, { key: k.key })).status, 200, `${p}/`);
      }
    });

    it('answers 404 "Not found." for an unknown path', async () => {
      const k = emu.createKey({ name: 'x' });
      const res = await call('/nope/', { key: k.key });
      assert.equal(res.status, 404);
      assert.equal(await res.text(), '{"detail":"Not found."}');
    });

    it('answers 405 with the method name for a wrong method', async () => {
      const k = emu.createKey({ name: 'x' });
      const res = await call('/agents/', { key: k.key, method: 'DELETE' });
      assert.equal(res.status, 405);
      assert.equal(await res.text(), '{"detail":"Method \\"DELETE\\" not allowed."}');
    });
  });

  describe('rate limiting', () => {
    it('sends X-RateLimit-* headers and application/json on success and error responses', async () => {
      await start();
      const k = emu.createKey({ name: 'x' });
      for (const [p, key] of [
        ['/agents/', k.key],
        ['/agents/', undefined],
        ['/missing/', k.key],
      ] as const) {
        const res = await call(p, { key });
        assert.equal(res.headers.get('content-type'), 'application/json', p);
        assert.match(res.headers.get('x-ratelimit-limit') ?? '', /^\d+$/);
        assert.match(res.headers.get('x-ratelimit-remaining') ?? '', /^\d+$/);
        const reset = Number(res.headers.get('x-ratelimit-reset'));
        const nowS = Date.now() / 1000;
        assert.ok(reset > nowS && reset <= nowS + 61, `reset ${reset}`);
      }
      const res = await call('/agents/', { key: k.key });
      assert.equal(res.headers.get('x-ratelimit-limit'), '100');
      assert.equal(res.headers.get('x-ratelimit-remaining'), '97', 'two earlier keyed requests + this one');
    });

    it('throttles a key after the configured per-minute limit, independently of other keys', async () => {
      await start({ rateLimitPerMinute: 3 });
      const a = emu.createKey({ name: 'a' });
      const b = emu.createKey({ name: 'b' });
      const remaining: string[] = [];
      for (let i = 0; i < 3; i++) {
        const res = await call('/agents/', { key: a.key });
        assert.equal(res.status, 200);
        remaining.push(res.headers.get('x-ratelimit-remaining') ?? '');
      }
      assert.deepEqual(remaining, ['2', '1', '0']);
      const res = await call('/agents/', { key: a.key });
      assert.equal(res.status, 429);
      const n = Number(res.headers.get('retry-after'));
      assert.ok(Number.isInteger(n) && n >= 1 && n <= 60);
      assert.deepEqual(await jsonOf(res), { detail: `Request was throttled. Expected available in ${n} seconds.` });
      assert.equal((await call('/agents/', { key: b.key })).status, 200);
    });

    it('applies a limit changed at run time through configure()', async () => {
      await start();
      emu.configure({ rateLimitPerMinute: 1 });
      const k = emu.createKey({ name: 'a' });
      assert.equal((await call('/agents/', { key: k.key })).status, 200);
      assert.equal((await call('/agents/', { key: k.key })).status, 429);
    });

    it('counts requests without a valid key against the per-IP anonymous limit', async () => {
      await start({ anonymousLimitPerMinute: 2 });
      assert.equal((await call('/agents/')).status, 401);
      assert.equal((await call('/agents/', { key: 'avk_bogus' })).status, 401);
      const res = await call('/agents/');
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('x-ratelimit-limit'), '2');
      const k = emu.createKey({ name: 'ok' });
      assert.equal((await call('/agents/', { key: k.key })).status, 200);
    });
  });

  describe('routes of real clients (TypeScript SDK, Python SDK, CLI)', () => {
    beforeEach(() => start());

    for (const route of CLIENT_ROUTES) {
      describe(`GET ${route.path}`, () => {
        it(`returns every item on one cursor page to a key with ${route.scope}, in the field names of Avala's SDK`, async () => {
          const k = emu.createKey({ name: 'scoped', scopes: [route.scope] });
          const res = await call(route.path, { key: k.key });
          assert.equal(res.status, 200);
          assert.equal(res.headers.get('content-type'), 'application/json');
          const page = (await jsonOf(res)) as Page;
          assert.deepEqual(Object.keys(page).sort(), ['next', 'previous', 'results']);
          assert.equal(page.next, null);
          assert.equal(page.previous, null);
          assert.ok(page.results.length >= 4, `${page.results.length} results: too few to page through`);
          assert.deepEqual(page.results, route.items);
          for (const item of page.results) {
            assert.deepEqual(Object.keys(item).sort(), route.fields);
            assert.match(String(item.uid), UUID_RE);
            assert.ok(!Number.isNaN(Date.parse(String(item.created_at))));
          }
          assert.equal(new Set(page.results.map((item) => item.uid)).size, page.results.length, 'uids are unique');
        });

        it('pages with limit, through absolute next links and back through previous', async () => {
          const k = emu.createKey({ name: 'full' });
          const pages: Page[] = [];
          let url: string | null = `${emu.baseUrl}${route.path}?limit=2`;
          for (let i = 0; url && i < 10; i++) {
            const res = await fetch(url, { headers: { 'X-Avala-Api-Key': k.key }, redirect: 'manual', signal: AbortSignal.timeout(5000) });
            assert.equal(res.status, 200, url);
            const page = (await jsonOf(res)) as Page;
            pages.push(page);
            if (page.next) {
              const next = new URL(page.next);
              assert.equal(next.origin, emu.origin, 'next is an absolute link to the same API');
              assert.equal(next.pathname, `/api/v1${route.path}`);
              assert.equal(next.searchParams.get('limit'), '2', 'next keeps the limit');
              assert.ok(next.searchParams.get('cursor'), 'next carries a cursor');
            }
            url = page.next;
          }
          assert.equal(url, null, 'the last page has no next link');
          assert.equal(pages.length, Math.ceil(route.items.length / 2));
          assert.ok(pages.every((p) => p.results.length <= 2));
          assert.equal(pages[0].previous, null);
          assert.deepEqual(
            pages.flatMap((p) => p.results),
            route.items,
            'the pages hold every item once, in order',
          );
          const last = pages[pages.length - 1];
          assert.ok(last.previous, 'the last page links back');
          const back = await fetch(last.previous, { headers: { 'X-Avala-Api-Key': k.key }, signal: AbortSignal.timeout(5000) });
          assert.deepEqual(((await jsonOf(back)) as Page).results, pages[pages.length - 2].results);
        });

        it('answers the same page every time, after a reset and from a new emulator', async () => {
          const first = await (await call(`${route.path}?limit=3`, { key: emu.createKey({ name: 'a' }).key })).text();
          emu.reset();
          const again = await (await call(`${route.path}?limit=3`, { key: emu.createKey({ name: 'b' }).key })).text();
          assert.equal(again, first);
          await emu.close();
          await start();
          const other = (await jsonOf(await call(`${route.path}?limit=3`, { key: emu.createKey({ name: 'c' }).key }))) as Page;
          assert.deepEqual(other.results, (JSON.parse(first) as Page).results);
        });

        it('answers each 401 with its exact detail', async () => {
          const revoked = emu.createKey({ name: 'revoked' });
          emu.revokeKey(revoked.id);
          const expired = emu.createKey({ name: 'expired', scopes: [route.scope] });
          emu.expireKey(expired.id);
          for (const [key, body] of [
            [undefined, '{"detail":"Authentication credentials were not provided."}'],
            [`avk_${'0'.repeat(40)}`, '{"detail":"Invalid API key."}'],
            [revoked.key, '{"detail":"Invalid API key."}'],
            [expired.key, '{"detail":"API key has expired."}'],
          ] as const) {
            const res = await call(route.path, { key });
            assert.equal(res.status, 401, body);
            assert.equal(await res.text(), body);
          }
        });

        it(`answers 403 to a scoped key without ${route.scope}, however many other scopes it has`, async () => {
          const others = emu.createKey({ name: 'others', scopes: ALL_SCOPES.filter((s) => s !== route.scope) });
          const res = await call(route.path, { key: others.key });
          assert.equal(res.status, 403);
          assert.equal(await res.text(), '{"detail":"You do not have permission to perform this action."}');
          assert.equal(
            (await call(route.path, { key: emu.createKey({ name: 'with', scopes: ['datasets.read', route.scope] }).key })).status,
            200,
          );
          assert.equal((await call(route.path, { key: emu.createKey({ name: 'full', scopes: [] }).key })).status, 200);
        });

        it('sends the rate-limit headers and throttles the key with 429 and Retry-After like /datasets/', async () => {
          emu.configure({ rateLimitPerMinute: 2 });
          const k = emu.createKey({ name: 't' });
          const remaining: string[] = [];
          for (let i = 0; i < 2; i++) {
            const res = await call(route.path, { key: k.key });
            assert.equal(res.status, 200);
            assert.equal(res.headers.get('x-ratelimit-limit'), '2');
            const reset = Number(res.headers.get('x-ratelimit-reset'));
            const nowS = Date.now() / 1000;
            assert.ok(reset > nowS && reset <= nowS + 61, `reset ${reset}`);
            remaining.push(res.headers.get('x-ratelimit-remaining') ?? '');
          }
          assert.deepEqual(remaining, ['1', '0']);
          const res = await call(route.path, { key: k.key });
          assert.equal(res.status, 429);
          const n = Number(res.headers.get('retry-after'));
          assert.ok(Number.isInteger(n) && n >= 1 && n <= 60, `Retry-After ${n}`);
          assert.equal(res.headers.get('x-ratelimit-remaining'), '0');
          assert.deepEqual(await jsonOf(res), { detail: `Request was throttled. Expected available in ${n} seconds.` });
          assert.equal((await call('/datasets/', { key: k.key })).status, 429, "the budget is the key's, not the route's");
        });
      });
    }

    it('requires exports.create, not exports.read, to list exports (the scope the authentication page documents for downloading them)', async () => {
      assert.equal((await call('/exports/', { key: emu.createKey({ name: 'ci', scopes: ['exports.create'] }).key })).status, 200);
      assert.equal((await call('/exports/', { key: emu.createKey({ name: 'read', scopes: ['exports.read'] }).key })).status, 403);
    });

    it('treats a limit that is not a positive integer as no limit, like DRF', async () => {
      const k = emu.createKey({ name: 'x' });
      assert.ok(DEMO_PROJECTS.length < DEFAULT_PAGE_SIZE);
      for (const limit of ['0', '-1', 'abc', '', '1.5']) {
        const page = (await jsonOf(await call(`/projects/?limit=${limit}`, { key: k.key }))) as Page;
        assert.equal(page.results.length, DEMO_PROJECTS.length, `limit=${limit}`);
        assert.equal(page.next, null);
      }
      assert.equal(((await jsonOf(await call('/projects/?limit=1', { key: k.key }))) as Page).results.length, 1);
    });

    it('answers 404 "Invalid cursor" to a cursor it did not make', async () => {
      const k = emu.createKey({ name: 'x' });
      for (const cursor of ['bogus', Buffer.from('o=x').toString('base64'), Buffer.from('p=2').toString('base64')]) {
        const res = await call(`/fleet/devices/?cursor=${encodeURIComponent(cursor)}`, { key: k.key });
        assert.equal(res.status, 404, cursor);
        assert.equal(await res.text(), '{"detail":"Invalid cursor"}');
      }
    });

    it('answers HEAD like GET, without a body', async () => {
      const k = emu.createKey({ name: 'x', scopes: ['projects.read'] });
      const res = await call('/users/me/projects/', { key: k.key, method: 'HEAD' });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), '');
      assert.match(res.headers.get('x-ratelimit-remaining') ?? '', /^\d+$/);
    });
  });

  describe('trailing slash, as Django (APPEND_SLASH) answers', () => {
    beforeEach(() => start());

    it('answers a slashless GET on every route with 301 and a Location to the slashed path that keeps the query', async () => {
      const k = emu.createKey({ name: 'x' });
      for (const route of ALL_ROUTES) {
        const slashless = route.slice(0, -1);
        const res = await call(`${slashless}?limit=2&cursor=abc`, { key: k.key });
        assert.equal(res.status, 301, slashless);
        assert.equal(res.headers.get('location'), `/api/v1${route}?limit=2&cursor=abc`);
        assert.equal(new URL(res.headers.get('location') ?? '', emu.baseUrl).origin, emu.origin, 'the Location stays on this API');
        assert.equal(await res.text(), '');
        assert.match(res.headers.get('x-ratelimit-limit') ?? '', /^\d+$/, 'the 301 carries the rate-limit headers too');
        assert.match(res.headers.get('x-ratelimit-remaining') ?? '', /^\d+$/);
        assert.match(res.headers.get('x-ratelimit-reset') ?? '', /^\d+$/);
      }
      assert.deepEqual(
        emu.requests.map((r) => [r.path, r.status]),
        ALL_ROUTES.map((route) => [`/api/v1${route.slice(0, -1)}`, 301]),
        'each answer is the 301 itself: the emulator follows nothing',
      );
    });

    it('answers 301 before looking at the key: no key, a revoked key or a key without the scope', async () => {
      const revoked = emu.createKey({ name: 'r' });
      emu.revokeKey(revoked.id);
      const narrow = emu.createKey({ name: 'n', scopes: ['datasets.read'] });
      for (const key of [undefined, revoked.key, narrow.key]) {
        const res = await call('/fleet/devices', { key });
        assert.equal(res.status, 301);
        assert.equal(res.headers.get('location'), '/api/v1/fleet/devices/');
      }
    });

    it('answers 301 to HEAD, POST and DELETE on a slashless route too, and a slashless signup creates nothing', async () => {
      const k = emu.createKey({ name: 'x' });
      for (const method of ['HEAD', 'DELETE', 'POST']) {
        const res = await call('/projects', { key: k.key, method });
        assert.equal(res.status, 301, method);
        assert.equal(res.headers.get('location'), '/api/v1/projects/');
      }
      const slashless = await call('/signup', { json: { email: 'dev@acme.com', password: 'Correct-Horse-42' } });
      assert.equal(slashless.status, 301);
      assert.equal(slashless.headers.get('location'), '/api/v1/signup/');
      assert.equal(
        ((await jsonOf(await call('/__admin/keys'))) as { keys: unknown[] }).keys.length,
        1,
        'no key was made for the slashless sign-up',
      );
      assert.equal((await signup('dev@acme.com')).status, 201, 'the email is still free');
    });

    it('keeps answering 404 to unknown paths, with or without a slash, and to a doubled slash', async () => {
      const k = emu.createKey({ name: 'x' });
      for (const p of ['/nope', '/nope/', '/fleet', '/fleet/', '/users/me', '/projects/x', '/agents//', '', '/']) {
        const res = await call(p, { key: k.key });
        assert.equal(res.status, 404, JSON.stringify(p));
        assert.equal(await res.text(), '{"detail":"Not found."}');
      }
    });

    it('answers 404, not 301, on /users/me/permissions when that endpoint is configured off', async () => {
      const k = emu.createKey({ name: 'x' });
      emu.configure({ permissionsEndpoint: false });
      assert.equal((await call('/users/me/permissions', { key: k.key })).status, 404);
      assert.equal((await call('/organizations', { key: k.key })).status, 301);
    });

    it('counts a 301 against the rate limit', async () => {
      await emu.close();
      await start({ anonymousLimitPerMinute: 1 });
      assert.equal((await call('/agents')).status, 301);
      const res = await call('/agents');
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) >= 1);
    });
  });

  describe('CORS, for VS Code in a browser', () => {
    const preflight = () =>
      call('/users/me/permissions/', {
        method: 'OPTIONS',
        headers: {
          Origin: 'https://vscode.dev',
          'Access-Control-Request-Method': 'GET',
          'Access-Control-Request-Headers': 'x-avala-api-key',
        },
      });

    it('answers a preflight for X-Avala-Api-Key without a key, and records no API call', async () => {
      await start();
      const res = await preflight();
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
      assert.match(res.headers.get('access-control-allow-headers') ?? '', /X-Avala-Api-Key/i);
      assert.match(res.headers.get('access-control-allow-headers') ?? '', /X-Avala-Client/i, 'the header the client names itself in');
      assert.match(res.headers.get('access-control-allow-methods') ?? '', /GET/);
      assert.equal(emu.requests.length, 0);
    });

    it('lets the page read answers, errors and Retry-After included', async () => {
      await start();
      const key = emu.createKey({ name: 'cors' });
      const ok = await call('/users/me/permissions/', { key: key.key, headers: { Origin: 'https://vscode.dev' } });
      assert.equal(ok.headers.get('access-control-allow-origin'), '*');
      const refused = await call('/users/me/permissions/', { key: 'avk_0000000000000000000000000000000000000000' });
      assert.equal(refused.status, 401);
      assert.equal(refused.headers.get('access-control-allow-origin'), '*');
      assert.match(refused.headers.get('access-control-expose-headers') ?? '', /Retry-After/);
    });

    it('configured with no origin, answers without CORS headers, so a browser refuses the answer', async () => {
      await start();
      emu.configure({ corsOrigin: '' });
      const res = await preflight();
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      assert.equal(res.headers.get('access-control-allow-headers'), null);
      emu.configure({ corsOrigin: 'https://vscode.dev' });
      assert.equal((await preflight()).headers.get('access-control-allow-origin'), 'https://vscode.dev');
      emu.reset();
      assert.equal((await preflight()).headers.get('access-control-allow-origin'), '*');
    });
  });

  describe('admin API', () => {
    beforeEach(() => start());

    it('creates a key with scopes and expiry and returns the value once', async () => {
      const res = await call('/__admin/keys', { json: { name: 'ci', scopes: ['datasets.read'], expires_at: null } });
      assert.equal(res.status, 201);
      const body = (await jsonOf(res)) as Record<string, unknown>;
      assert.deepEqual(Object.keys(body).sort(), ['created_at', 'expires_at', 'id', 'key', 'name', 'scopes']);
      assert.match(String(body.key), KEY_RE);
      assert.match(String(body.id), /^key_[0-9a-f]{8}$/);
      assert.equal(body.name, 'ci');
      assert.deepEqual(body.scopes, ['datasets.read']);
      assert.equal(body.expires_at, null);
      assert.ok(!Number.isNaN(Date.parse(String(body.created_at))));
      assert.equal((await call('/datasets/', { key: String(body.key) })).status, 200);
    });

    it('lists keys without their values', async () => {
      const k = emu.createKey({ name: 'listed', scopes: ['agents.read'] });
      const res = await call('/__admin/keys');
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.ok(!text.includes(k.key), 'key value leaked in the admin list');
      const body = JSON.parse(text) as { keys: Array<Record<string, unknown>> };
      assert.equal(body.keys.length, 1);
      assert.equal(body.keys[0].id, k.id);
      assert.equal(body.keys[0].name, 'listed');
      assert.equal(body.keys[0].revoked, false);
      assert.ok(!('key' in body.keys[0]));
    });

    it('revokes and expires keys over HTTP and 404s for an unknown id', async () => {
      const a = emu.createKey({ name: 'a' });
      const b = emu.createKey({ name: 'b' });
      assert.equal((await call(`/__admin/keys/${a.id}/revoke`, { method: 'POST' })).status, 200);
      assert.equal((await call(`/__admin/keys/${b.id}/expire`, { method: 'POST' })).status, 200);
      assert.equal(await (await call('/agents/', { key: a.key })).text(), '{"detail":"Invalid API key."}');
      assert.equal(await (await call('/agents/', { key: b.key })).text(), '{"detail":"API key has expired."}');
      const list = (await jsonOf(await call('/__admin/keys'))) as {
        keys: Array<{ id: string; revoked: boolean; expires_at: string | null }>;
      };
      assert.equal(list.keys.find((k) => k.id === a.id)?.revoked, true);
      assert.ok(Date.parse(list.keys.find((k) => k.id === b.id)?.expires_at ?? '') < Date.now());
      const missing = await call('/__admin/keys/key_00000000/revoke', { method: 'POST' });
      assert.equal(missing.status, 404);
      assert.throws(() => emu.revokeKey('key_00000000'));
    });

    it('rejects a key without a name', async () => {
      assert.equal((await call('/__admin/keys', { json: { scopes: [] } })).status, 400);
    });

    it('sets faults and configuration over HTTP', async () => {
      assert.equal((await call('/__admin/faults', { json: { mode: 'error500', count: 1 } })).status, 200);
      assert.equal((await call('/agents/')).status, 500);
      assert.equal((await call('/agents/')).status, 401);
      assert.equal((await call('/__admin/faults', { json: { mode: 'bogus' } })).status, 400);
      assert.equal((await call('/__admin/config', { json: { permissionsEndpoint: false } })).status, 200);
      const k = emu.createKey({ name: 'x' });
      assert.equal((await call('/users/me/permissions/', { key: k.key })).status, 404);
    });

    it('returns request records after a given seq', async () => {
      await call('/agents/');
      await call('/datasets/');
      await call('/organizations/');
      const firstSeq = emu.requests[0].seq;
      const res = await call(`/__admin/requests?since=${firstSeq}`);
      const body = (await jsonOf(res)) as { requests: Array<{ seq: number; path: string }> };
      assert.deepEqual(
        body.requests.map((r) => r.path),
        ['/api/v1/datasets/', '/api/v1/organizations/'],
      );
    });

    it('resets keys, users, faults and the log over HTTP', async () => {
      const k = emu.createKey({ name: 'x' });
      await signup('dev@acme.com');
      emu.setFault({ mode: 'error500' });
      assert.equal((await call('/__admin/reset', { method: 'POST' })).status, 200);
      assert.equal(emu.requests.length, 0);
      assert.equal(await (await call('/agents/', { key: k.key })).text(), '{"detail":"Invalid API key."}');
      assert.equal((await signup('dev@acme.com')).status, 201);
      assert.deepEqual(((await jsonOf(await call('/__admin/keys'))) as { keys: unknown[] }).keys.length, 1);
    });

    it('refuses admin requests that do not come from a loopback address', async function () {
      const external = Object.values(os.networkInterfaces())
        .flat()
        .find((a) => a && a.family === 'IPv4' && !a.internal);
      if (!external) this.skip();
      await emu.close();
      await start({ host: '0.0.0.0' });
      const res = await fetch(`http://${external.address}:${emu.port}/__admin/keys`, { signal: AbortSignal.timeout(5000) });
      assert.equal(res.status, 403);
      const local = await fetch(`http://127.0.0.1:${emu.port}/__admin/keys`, { signal: AbortSignal.timeout(5000) });
      assert.equal(local.status, 200);
    });

    it('does not record admin requests in the API log', async () => {
      await call('/__admin/keys');
      assert.equal(emu.requests.length, 0);
    });
  });

  describe('faults', () => {
    let key: string;
    beforeEach(async () => {
      await start();
      key = emu.createKey({ name: 'f' }).key;
    });

    it('latency delays the answer by about ms and then answers normally', async () => {
      emu.setFault({ mode: 'latency', ms: 300, count: 1 });
      const t0 = Date.now();
      const res = await call('/agents/', { key });
      assert.ok(Date.now() - t0 >= 280, `only ${Date.now() - t0} ms`);
      assert.equal(res.status, 200);
      assert.equal(emu.requests[0].fault, 'latency');
      assert.equal(emu.requests[0].status, 200);
    });

    it('error500 answers 500 with the server error detail', async () => {
      emu.setFault({ mode: 'error500' });
      const res = await call('/agents/', { key });
      assert.equal(res.status, 500);
      assert.equal(await res.text(), '{"detail":"A server error occurred."}');
    });

    it('error500 honours a status override', async () => {
      emu.setFault({ mode: 'error500', status: 503 });
      assert.equal((await call('/agents/', { key })).status, 503);
    });

    it('malformed answers 200 application/json with a body that does not parse', async () => {
      emu.setFault({ mode: 'malformed' });
      const res = await call('/users/me/permissions/', { key });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/json');
      const text = await res.text();
      assert.ok(text.length > 0);
      assert.throws(() => JSON.parse(text));
    });

    it('reset drops the connection so fetch rejects', async () => {
      emu.setFault({ mode: 'reset', count: 1 });
      await assert.rejects(call('/agents/', { key }));
      assert.equal(emu.requests[0].fault, 'reset');
      assert.equal(emu.requests[0].status, 0);
    });

    it('redirect answers 302 pointing at another host with the same path', async () => {
      emu.setFault({ mode: 'redirect' });
      const res = await call('/users/me/permissions/?x=1', { key, redirect: 'manual' });
      assert.equal(res.status, 302);
      const location = new URL(res.headers.get('location') ?? '');
      assert.notEqual(location.host, new URL(emu.origin).host);
      assert.equal(location.hostname, '127.0.0.2');
      assert.equal(location.pathname, '/api/v1/users/me/permissions/');
      assert.equal(location.search, '?x=1');
    });

    it('html answers a 502 text/html gateway page', async () => {
      emu.setFault({ mode: 'html' });
      const res = await call('/agents/', { key });
      assert.equal(res.status, 502);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(await res.text(), /<html>/);
    });

    it('empty answers 200 with an empty body', async () => {
      emu.setFault({ mode: 'empty' });
      const res = await call('/agents/', { key });
      assert.equal(res.status, 200);
      assert.equal(await res.text(), '');
    });

    it('huge announces a 2 GiB Content-Length and the client can abort it', async () => {
      emu.setFault({ mode: 'huge' });
      const controller = new AbortController();
      const res = await call('/agents/', { key, signal: controller.signal });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-length'), String(HUGE_CONTENT_LENGTH));
      assert.equal(res.headers.get('content-length'), '2147483648');
      const reader = res.body?.getReader();
      assert.ok(reader);
      const first = await reader.read();
      assert.ok(first.value && first.value.length > 0);
      controller.abort();
      await assert.rejects(reader.read());
    });

    it('oversized streams more than 2 MiB of chunked JSON without a Content-Length', async () => {
      emu.setFault({ mode: 'oversized', count: 1 });
      const res = await call('/datasets/', { key });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-length'), null);
      assert.equal(res.headers.get('transfer-encoding'), 'chunked');
      const text = await res.text();
      assert.ok(Buffer.byteLength(text) >= OVERSIZED_BYTES, `${Buffer.byteLength(text)} bytes`);
      const parsed = JSON.parse(text) as { results: unknown[] };
      assert.ok(parsed.results.length > 1000);
    });

    it('applies to signup too', async () => {
      emu.setFault({ mode: 'error500', count: 1 });
      assert.equal((await signup('dev@acme.com')).status, 500);
      assert.equal((await signup('dev@acme.com')).status, 201);
    });

    it('respects count and then answers normally', async () => {
      emu.setFault({ mode: 'error500', count: 2 });
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await call('/agents/', { key })).status);
      assert.deepEqual(statuses, [500, 500, 200, 200]);
      assert.deepEqual(
        emu.requests.map((r) => r.fault),
        ['error500', 'error500', undefined, undefined],
      );
    });

    it('stays on until mode none when no count is given', async () => {
      emu.setFault({ mode: 'empty' });
      for (let i = 0; i < 3; i++) assert.equal(await (await call('/agents/', { key })).text(), '');
      emu.setFault({ mode: 'none' });
      assert.equal((await call('/agents/', { key })).status, 200);
    });

    it('rejects an unknown mode', () => {
      assert.throws(() => emu.setFault({ mode: 'explode' as never }));
    });
  });

  describe('request log', () => {
    beforeEach(() => start());

    it('records method, path, query, status, key id and client in order', async () => {
      const k = emu.createKey({ name: 'x' });
      await call('/organizations/?limit=1', { key: k.key, headers: { 'X-Avala-Client': 'vscode_extension' } });
      await call('/agents');
      await call('/agents/', { key: 'avk_unknown' });
      const [a, b, c] = emu.requests;
      assert.equal(emu.requests.length, 3);
      assert.ok(a.seq < b.seq && b.seq < c.seq);
      assert.deepEqual(
        { method: a.method, path: a.path, query: a.query, status: a.status, keyId: a.keyId, keySent: a.keySent, client: a.client },
        {
          method: 'GET',
          path: '/api/v1/organizations/',
          query: 'limit=1',
          status: 200,
          keyId: k.id,
          keySent: true,
          client: 'vscode_extension',
        },
      );
      assert.equal(b.keySent, false);
      assert.equal(b.path, '/api/v1/agents');
      assert.equal(b.status, 301);
      assert.equal(c.keySent, true);
      assert.equal(c.keyId, undefined);
      assert.ok(Math.abs(a.time - Date.now()) < 10_000);
    });

    it('never contains key values or passwords', async () => {
      const k = emu.createKey({ name: 'x' });
      await call('/agents/', { key: k.key });
      const signed = (await jsonOf(await signup('dev@acme.com', 'Sekrit-Passw0rd'))) as { api_key: string };
      await call('/agents/', { key: signed.api_key });
      await call('/agents/', { key: 'avk_not_a_real_key_value' });
      const admin = await (await call('/__admin/requests?since=0')).text();
      for (const text of [JSON.stringify(emu.requests), admin]) {
        assert.ok(!text.includes(k.key));
        assert.ok(!text.includes(signed.api_key));
        assert.ok(!text.includes('avk_not_a_real_key_value'));
        assert.ok(!text.includes('Sekrit-Passw0rd'));
      }
      assert.equal(emu.requests.length, 4);
    });

    it('drops the oldest entries beyond the log limit while seq keeps increasing', async () => {
      await emu.close();
      await start({ requestLogLimit: 3 });
      for (let i = 0; i < 5; i++) await call('/agents/');
      assert.equal(emu.requests.length, 3);
      assert.deepEqual(
        emu.requests.map((r) => r.seq),
        [3, 4, 5],
      );
    });

    it('keeps seq increasing across reset()', async () => {
      await call('/agents/');
      await call('/agents/');
      emu.reset();
      await call('/agents/');
      assert.equal(emu.requests.length, 1);
      assert.equal(emu.requests[0].seq, 3);
    });
  });

  describe('close()', () => {
    it('resolves in under a second with a keep-alive connection open', async () => {
      await start();
      const agent = new http.Agent({ keepAlive: true });
      try {
        const status = await new Promise<number>((resolve, reject) => {
          const req = http.get(`${emu.baseUrl}/agents/`, { agent }, (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          });
          req.on('error', reject);
        });
        assert.equal(status, 401);
        await waitFor(() => Object.values(agent.freeSockets).flat().length === 1, {
          description: 'the socket to go back to the pool',
          timeoutMs: 2000,
          intervalMs: 10,
        });
        const t0 = Date.now();
        await emu.close();
        assert.ok(Date.now() - t0 < 1000, `close took ${Date.now() - t0} ms`);
      } finally {
        agent.destroy();
      }
    });

    it('resolves quickly while a latency fault is waiting and a huge response is hanging', async () => {
      await start();
      emu.setFault({ mode: 'latency', ms: 30_000, count: 1 });
      const slow = call('/agents/', { signal: AbortSignal.timeout(10_000) }).then(
        () => 'answered',
        () => 'failed',
      );
      await waitFor(() => emu.requests.length === 1, { description: 'the request to be logged', timeoutMs: 2000, intervalMs: 10 });
      emu.setFault({ mode: 'huge' });
      const hanging = await call('/agents/');
      assert.equal(hanging.status, 200);
      const t0 = Date.now();
      await emu.close();
      assert.ok(Date.now() - t0 < 1000, `close took ${Date.now() - t0} ms`);
      assert.equal(await slow, 'failed');
      await assert.rejects(hanging.text());
    });

    it('can be called twice', async () => {
      await start();
      await emu.close();
      await emu.close();
    });
  });

  describe('cli', () => {
    it('prints the listening line and stops on SIGTERM', async function () {
      const cli = path.join(__dirname, '..', '..', 'emulator', 'cli.js');
      const child = spawn(process.execPath, [cli, '--port', '0', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        let out = '';
        child.stdout.setEncoding('utf8');
        child.stdout.on('data', (d: string) => (out += d));
        await waitFor(() => out.includes('\n'), { description: 'the CLI to print its first line', timeoutMs: 5000, intervalMs: 10 });
        const first = out.split('\n')[0];
        const m = /^Avala API emulator listening on (http:\/\/127\.0\.0\.1:(\d+)\/api\/v1)$/.exec(first);
        assert.ok(m, first);
        const res = await fetch(`${m[1]}/agents/`, { signal: AbortSignal.timeout(5000) });
        assert.equal(res.status, 401);
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        child.kill('SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<string>((r) => (timer = setTimeout(() => r('timeout'), 3000)));
        const code = await Promise.race([exited, timeout]);
        clearTimeout(timer);
        assert.equal(code, 0);
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
      }
    });
  });
});
