import { AvalaApiError } from './errors';
import * as l10n from './l10n';

export const DEFAULT_BASE_URL = 'https://api.avala.ai/api/v1';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase());
}

/** Truthy the way Avala's SDKs read `AVALA_ALLOW_INSECURE_BASE_URL`. */
export function isTruthyFlag(value: string | undefined): boolean {
  return value !== undefined && ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

/**
 * Checks and normalises a base URL: HTTPS only, except plain HTTP to a loopback host
 * when insecure loopback is explicitly allowed. Trailing slashes are dropped.
 */
export function normalizeBaseUrl(raw: string, allowInsecureLoopback = false): string {
  const trimmed = raw.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new AvalaApiError('insecureUrl', l10n.t('"{0}" is not a valid Avala API base URL.', trimmed));
  }
  if (url.username || url.password) {
    throw new AvalaApiError('insecureUrl', l10n.t('The Avala API base URL must not contain a user name or password.'));
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      throw new AvalaApiError('insecureUrl', l10n.t('Refusing plain HTTP to {0}: the Avala API base URL must use HTTPS.', url.host));
    }
    if (!allowInsecureLoopback) {
      throw new AvalaApiError(
        'insecureUrl',
        l10n.t('Refusing plain HTTP to {0}: allow insecure loopback URLs to use a local emulator.', url.host),
      );
    }
  } else if (url.protocol !== 'https:') {
    throw new AvalaApiError('insecureUrl', l10n.t('The Avala API base URL must use HTTPS, not {0}.', url.protocol.replace(':', '')));
  }
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** True when the URL is plain HTTP to loopback (the emulator), which needs the insecure flag downstream. */
export function isInsecureLoopback(baseUrl: string): boolean {
  try {
    const url = new URL(baseUrl);
    return url.protocol === 'http:' && isLoopbackHost(url.hostname);
  } catch {
    return false;
  }
}

/** Two base URLs name the same API when they normalise to the same string. */
export function sameBaseUrl(a: string, b: string): boolean {
  return a.trim().replace(/\/+$/, '').toLowerCase() === b.trim().replace(/\/+$/, '').toLowerCase();
}

/** The host (and port) a base URL sends keys to, for messages; the text itself when it is no URL. */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

/**
 * For a base URL on the IPv6 loopback (`http://[::1]:4010/…`): the same URL on `127.0.0.1`.
 * Avala's TypeScript SDK and MCP server refuse `[::1]` even with the insecure flag (they
 * compare the hostname `[::1]` with `::1`); the Python SDK and CLI accept it.
 */
export function ipv4LoopbackFor(baseUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return undefined;
  }
  if (url.hostname !== '[::1]') {
    return undefined;
  }
  url.hostname = '127.0.0.1';
  return url.toString().replace(/\/+$/, '');
}
