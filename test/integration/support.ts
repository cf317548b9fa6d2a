// Helpers for integration tests. They run inside the extension host, so they reach the
// emulator (started by the launcher in another process) through its /__admin HTTP endpoints.
import * as vscode from 'vscode';
import type { RunnerMcp } from './runner-extension/extension';

export const EXTENSION_ID = 'avala.avala-vscode';

/** The emulator's origin, e.g. http://127.0.0.1:PORT (set by the launcher). */
export function emulatorOrigin(): string {
  const origin = process.env.AVALA_TEST_EMULATOR_ORIGIN;
  if (!origin) {
    throw new Error('AVALA_TEST_EMULATOR_ORIGIN is not set: run the integration tests with npm run test:integration');
  }
  return origin;
}

/** The API base URL the extension was configured with (origin + /api/v1). */
export function apiBaseUrl(): string {
  return `${emulatorOrigin()}/api/v1`;
}

export interface AdminKey {
  id: string;
  key: string;
  name: string;
  scopes: string[];
  created_at: string;
  expires_at: string | null;
}

export interface AdminRequestRecord {
  seq: number;
  method: string;
  path: string;
  query: string;
  status: number;
  keyId?: string;
  keySent: boolean;
  client?: string;
  fault?: string;
}

async function admin<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${emulatorOrigin()}/__admin${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`emulator ${method} /__admin${path} answered ${response.status}: ${text}`);
  }
  return (text ? JSON.parse(text) : undefined) as T;
}

export const emulator = {
  createKey: (options: { name: string; scopes?: string[]; expiresAt?: string | null }) =>
    admin<AdminKey>('POST', '/keys', { name: options.name, scopes: options.scopes, expires_at: options.expiresAt }),
  revokeKey: (id: string) => admin<unknown>('POST', `/keys/${encodeURIComponent(id)}/revoke`),
  expireKey: (id: string) => admin<unknown>('POST', `/keys/${encodeURIComponent(id)}/expire`),
  setFault: (fault: { mode: string; ms?: number; count?: number; status?: number }) => admin<unknown>('POST', '/faults', fault),
  configure: (config: Record<string, unknown>) => admin<unknown>('POST', '/config', config),
  reset: () => admin<unknown>('POST', '/reset'),
  requestsSince: async (seq = 0) => (await admin<{ requests: AdminRequestRecord[] }>('GET', `/requests?since=${seq}`)).requests,
};

/** The Avala extension, activated (activation is awaited, not assumed). */
export async function activatedAvala(): Promise<vscode.Extension<unknown>> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) {
    throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  }
  await extension.activate();
  return extension;
}

/** The test runner extension's own context: a real SecretStorage and mementos for tests. */
export function runnerContext(): vscode.ExtensionContext {
  const context = (globalThis as { avalaTestRunnerContext?: vscode.ExtensionContext }).avalaTestRunnerContext;
  if (!context) {
    throw new Error('the integration test runner extension did not publish its context');
  }
  return context;
}

/** The test runner extension's MCP registration (see its extension.ts). */
export function runnerMcp(): RunnerMcp {
  const mcp = (globalThis as { avalaTestRunnerMcp?: RunnerMcp }).avalaTestRunnerMcp;
  if (!mcp) {
    throw new Error('the integration test runner extension did not publish its MCP registration');
  }
  return mcp;
}
