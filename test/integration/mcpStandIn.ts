// A stand-in for Avala's MCP server that the integration tests name in `avala.mcp.command`.
// VS Code starts it as it would start the real server. It records what it was started with
// (its arguments and every AVALA_* variable, the key only as a digest) into the file that
// AVALA_TEST_MCP_LAUNCH names, then idles like a stdio server until VS Code stops it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';

/** What a launch recorded; `AVALA_API_KEY` holds `sha256:<hex>` of the key, never the key. */
export interface McpLaunch {
  args: string[];
  env: Record<string, string>;
}

export function keyDigest(key: string): string {
  return `sha256:${createHash('sha256').update(key).digest('hex')}`;
}

function record(): void {
  const file = process.env.AVALA_TEST_MCP_LAUNCH;
  if (!file) {
    return;
  }
  const launch: McpLaunch = { args: process.argv.slice(2), env: {} };
  for (const [name, value] of Object.entries(process.env)) {
    if (name.startsWith('AVALA_') && !name.startsWith('AVALA_TEST_') && value !== undefined) {
      launch.env[name] = name === 'AVALA_API_KEY' ? keyDigest(value) : value;
    }
  }
  // Written whole, then renamed: the test never reads half a record.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(launch));
  fs.renameSync(`${file}.tmp`, file);
}

if (require.main === module) {
  record();
  process.stdin.resume();
}
