import { DEFAULT_BASE_URL, isInsecureLoopback, sameBaseUrl } from './baseUrl';

/** The variables Avala's SDKs, CLI and MCP server read. */
export const ENV = {
  apiKey: 'AVALA_API_KEY',
  baseUrl: 'AVALA_BASE_URL',
  allowInsecure: 'AVALA_ALLOW_INSECURE_BASE_URL',
} as const;

/**
 * What a process needs to reach Avala with a key: the key itself, and the base URL only
 * when it is not the default (plus the insecure flag for a loopback http URL).
 */
export function keyEnvironment(key: string | undefined, baseUrl: string): Record<string, string> {
  const env: Record<string, string> = {};
  if (key !== undefined) {
    env[ENV.apiKey] = key;
  }
  if (!sameBaseUrl(baseUrl, DEFAULT_BASE_URL)) {
    env[ENV.baseUrl] = baseUrl;
    if (isInsecureLoopback(baseUrl)) {
      env[ENV.allowInsecure] = '1';
    }
  }
  return env;
}
