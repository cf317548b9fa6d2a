// What the sample workspace's scripts/call-avala.mjs writes after calling the emulator with
// the key it was given: whether a key was set, a short digest of it (never the key), and the
// HTTP status. Terminals, launch configurations and tasks run it; tests read the file.
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { waitForFile } from './workbench';

/** A script run in a terminal or under the debugger on a busy 2-core machine. */
export const RUN_TIMEOUT_MS = 90_000;

export interface CallResult {
  keySet: boolean;
  keyDigest: string | null;
  status: number | null;
  error: string | null;
}

/** The digest call-avala.mjs writes for a key. */
export function digest(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

/** Waits for `.results/<name>` in the workspace and parses it. */
export async function readResult(workspace: string, name: string): Promise<CallResult> {
  return JSON.parse(await waitForFile(path.join(workspace, '.results', name), RUN_TIMEOUT_MS)) as CallResult;
}

/** The shell command that runs the script and writes `.results/<name>`. */
export function callCommand(name: string): string {
  return `node scripts/call-avala.mjs .results/${name}`;
}
