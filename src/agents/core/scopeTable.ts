// Which scope each Avala API call needs, for the `avala_requiredScopes` language-model tool.
// From Avala's authentication page (the five documented scopes and what they permit) and the
// API reference (routes the SDKs, CLI and MCP server call). A call this table does not know is
// reported as unknown, never guessed.
import * as l10n from '../../core/l10n';

export type ScopeSource =
  /** The scope's documented meaning on Avala's authentication page names this operation. */
  | 'documented'
  /** Seen in Avala's own tools (SDKs, CLI, MCP server) for this route. */
  | 'observed';

export interface ScopeRow {
  /** The route, as `METHOD /path/` after /api/v1 (`{uid}` stands for an id). */
  routes: string[];
  /** SDK-style names (`datasets.list`), compared without a `client.` prefix and `()`. */
  methods: string[];
  /** The scope the call needs; `null` when any valid key may call it (or none is needed). */
  scope: string | null;
  source: ScopeSource;
  /** Said with the answer when the row needs a word of explanation. A function: looked up when shown. */
  note?: () => string;
}

export const SCOPE_TABLE: readonly ScopeRow[] = [
  {
    routes: ['GET /datasets/', 'GET /datasets/{uid}/', 'GET /datasets/{uid}/items/', 'GET /datasets/{uid}/items/{uid}/'],
    methods: ['datasets.list', 'datasets.get', 'datasets.retrieve', 'datasets.items', 'datasets.list_items', 'datasets.listItems'],
    scope: 'datasets.read',
    source: 'documented',
  },
  {
    routes: [
      'POST /datasets/',
      'PUT /datasets/{uid}/',
      'PATCH /datasets/{uid}/',
      'DELETE /datasets/{uid}/',
      'POST /datasets/{uid}/items/',
      'DELETE /datasets/{uid}/items/{uid}/',
    ],
    methods: ['datasets.create', 'datasets.update', 'datasets.delete', 'datasets.upload', 'datasets.upload_items', 'datasets.uploadItems'],
    scope: 'datasets.write',
    source: 'documented',
  },
  {
    routes: ['GET /projects/', 'GET /projects/{uid}/', 'GET /users/me/projects/'],
    methods: ['projects.list', 'projects.get', 'projects.retrieve'],
    scope: 'projects.read',
    source: 'documented',
  },
  {
    routes: ['GET /tasks/', 'GET /tasks/{uid}/', 'GET /tasks/{uid}/results/'],
    methods: ['tasks.list', 'tasks.get', 'tasks.retrieve', 'tasks.results'],
    scope: 'tasks.read',
    source: 'documented',
  },
  {
    routes: ['POST /exports/', 'GET /exports/', 'GET /exports/{uid}/', 'GET /exports/{uid}/download/'],
    methods: ['exports.create', 'exports.list', 'exports.get', 'exports.retrieve', 'exports.download'],
    scope: 'exports.create',
    source: 'documented',
    note: () =>
      l10n.t(
        "Avala documents exports.create for creating exports and downloading completed ones; Avala's own tools also know exports.read for listing.",
      ),
  },
  { routes: ['GET /agents/', 'GET /agents/{uid}/'], methods: ['agents.list', 'agents.get'], scope: 'agents.read', source: 'observed' },
  {
    routes: ['GET /webhooks/', 'GET /webhooks/{uid}/'],
    methods: ['webhooks.list', 'webhooks.get'],
    scope: 'webhooks.read',
    source: 'observed',
  },
  {
    routes: ['GET /storage-connections/', 'GET /storage-connections/{uid}/'],
    methods: ['storage.list', 'storage_connections.list', 'storageConnections.list'],
    scope: 'storage.read',
    source: 'observed',
  },
  {
    routes: ['GET /fleet/devices/', 'GET /fleet/devices/{uid}/', 'GET /fleet/recordings/'],
    methods: ['fleet.devices', 'fleet.list_devices', 'fleet.listDevices', 'fleet.recordings'],
    scope: 'fleet.read',
    source: 'observed',
  },
  {
    routes: ['GET /organizations/', 'GET /organizations/{uid}/'],
    methods: ['organizations.list', 'organizations.get'],
    scope: 'organizations.read',
    source: 'observed',
    note: () => l10n.t("Avala's CLI checks a key with this call."),
  },
  { routes: ['GET /slices/', 'GET /slices/{uid}/'], methods: ['slices.list', 'slices.get'], scope: 'slices.read', source: 'observed' },
  { routes: ['GET /qc/', 'GET /qc/{uid}/'], methods: ['qc.list', 'qc.get'], scope: 'qc.read', source: 'observed' },
  {
    routes: ['GET /users/me/permissions/'],
    methods: ['users.me.permissions', 'permissions.get', 'me.permissions'],
    scope: null,
    source: 'observed',
    note: () => l10n.t('Any valid key may read its own permissions.'),
  },
  {
    routes: ['POST /signup/'],
    methods: ['signup'],
    scope: null,
    source: 'documented',
    note: () => l10n.t('The only endpoint that needs no key.'),
  },
];

export interface ScopeLookup {
  /** What the caller asked about, trimmed. */
  call: string;
  row?: ScopeRow;
}

const HTTP_METHOD = /^(GET|POST|PUT|PATCH|DELETE|HEAD)\s+(\S+)$/i;

/** `https://api.avala.ai/api/v1/datasets/abc/?x=1` → `/datasets/abc/`. */
function pathOf(raw: string): string {
  let path = raw.replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/[?#].*$/, '');
  path = path.replace(/^\/?api\/v1(?=\/|$)/i, '');
  if (!path.startsWith('/')) {
    path = `/${path}`;
  }
  return path.endsWith('/') ? path : `${path}/`;
}

function routeMatches(route: string, method: string, path: string): boolean {
  const [routeMethod, routePath] = route.split(' ');
  if (routeMethod !== method && !(method === 'HEAD' && routeMethod === 'GET')) {
    return false;
  }
  const pattern = new RegExp(`^${routePath.replace(/\{uid\}/g, '[^/]+')}$`, 'i');
  return pattern.test(path);
}

/** `client.datasets.list()`, `avala.datasets.list`, `Datasets.List` → `datasets.list`. */
function methodName(raw: string): string {
  return raw
    .replace(/\(.*\)\s*$/, '')
    .replace(/^(?:await\s+)?(?:self\.)?(?:client|avala|api|sdk)\./i, '')
    .toLowerCase();
}

/** Looks one call up: an HTTP route (`GET /datasets/`) or an SDK method (`client.datasets.list()`). */
export function lookUpCall(raw: string): ScopeLookup {
  const call = raw.trim();
  const http = HTTP_METHOD.exec(call);
  if (http) {
    const method = http[1].toUpperCase();
    const path = pathOf(http[2]);
    return { call, row: SCOPE_TABLE.find((row) => row.routes.some((route) => routeMatches(route, method, path))) };
  }
  const name = methodName(call);
  return { call, row: SCOPE_TABLE.find((row) => row.methods.some((m) => m.toLowerCase() === name)) };
}
