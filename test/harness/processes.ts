import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import * as fs from 'node:fs';
import { delay, waitFor } from './wait';

/**
 * Everything the harness starts runs in its own process group (code-server forks helpers
 * that outlive a plain kill of the parent), and every group and temporary folder is
 * registered here so that Ctrl+C, a crash or a normal exit never leaves one behind.
 */
const liveGroups = new Set<number>();
const tempDirs = new Set<string>();
let handlersInstalled = false;

export interface GroupProcess {
  child: ChildProcess;
  /** The process group id (= the leader's pid). */
  pgid: number;
  /** Resolves with the exit code (or signal name) once the group leader has exited. */
  exited: Promise<number | string>;
  hasExited(): boolean;
  /** SIGTERM to the whole group, SIGKILL after `graceMs`; resolves when the group is gone. */
  stop(graceMs?: number): Promise<void>;
}

/** Starts `command` as the leader of a new process group that is killed when this process ends. */
export function spawnGroup(command: string, args: string[], options: SpawnOptions & { logFile?: string }): GroupProcess {
  installCleanupHandlers();
  const { logFile, ...spawnOptions } = options;
  let stdio: SpawnOptions['stdio'] = spawnOptions.stdio ?? 'ignore';
  let logFd: number | undefined;
  if (logFile) {
    logFd = fs.openSync(logFile, 'a');
    stdio = ['ignore', logFd, logFd];
  }
  const child = spawn(command, args, { ...spawnOptions, stdio, detached: true });
  if (logFd !== undefined) {
    fs.closeSync(logFd);
  }
  if (child.pid === undefined) {
    throw new Error(`could not start ${command}`);
  }
  const pgid = child.pid;
  liveGroups.add(pgid);
  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      done = true;
      resolve(code ?? signal ?? 'unknown');
    });
    child.once('error', (error) => {
      done = true;
      resolve(error.message);
    });
  });
  return {
    child,
    pgid,
    exited,
    hasExited: () => done,
    stop: (graceMs = 5000) => killGroup(pgid, graceMs),
  };
}

/** Kills a process group: SIGTERM, then SIGKILL if anything in it is still alive after `graceMs`. */
export async function killGroup(pgid: number, graceMs = 5000): Promise<void> {
  const gone = (timeoutMs: number) =>
    waitFor(() => !groupAlive(pgid), { description: `process group ${pgid} to exit`, timeoutMs, intervalMs: 50 }).catch(() => undefined);
  signalGroup(pgid, 'SIGTERM');
  await gone(graceMs);
  if (groupAlive(pgid)) {
    signalGroup(pgid, 'SIGKILL');
    await gone(2000);
  }
  liveGroups.delete(pgid);
}

/** Registers a temporary folder to delete at exit (unless removed earlier with {@link removeTempDir}). */
export function trackTempDir(dir: string): void {
  installCleanupHandlers();
  tempDirs.add(dir);
}

export function removeTempDir(dir: string): void {
  tempDirs.delete(dir);
  fs.rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** Forgets a temporary folder so it survives the exit (kept for inspection). */
export function untrackTempDir(dir: string): void {
  tempDirs.delete(dir);
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // Already gone.
  }
}

/** Synchronous last-resort cleanup: only SIGKILL and rmSync work inside an 'exit' handler. */
function cleanupNow(): void {
  for (const pgid of liveGroups) {
    signalGroup(pgid, 'SIGKILL');
  }
  liveGroups.clear();
  for (const dir of tempDirs) {
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch {
      // Best effort at exit.
    }
  }
  tempDirs.clear();
}

const shutdownHooks = new Set<() => Promise<void>>();

/** Runs `hook` (bounded) before the process groups are killed when Ctrl+C or SIGTERM ends the process. */
export function onShutdown(hook: () => Promise<void>): void {
  installCleanupHandlers();
  shutdownHooks.add(hook);
}

let shuttingDown = false;

async function shutdown(code: number): Promise<void> {
  if (shuttingDown) {
    // A second Ctrl+C: stop waiting.
    cleanupNow();
    process.exit(code);
  }
  shuttingDown = true;
  const graceful = Promise.allSettled([
    ...[...shutdownHooks].map((hook) => hook()),
    ...[...liveGroups].map((pgid) => killGroup(pgid, 3000)),
  ]);
  await Promise.race([graceful, delay(8000)]);
  cleanupNow();
  process.exit(code);
}

function installCleanupHandlers(): void {
  if (handlersInstalled) {
    return;
  }
  handlersInstalled = true;
  // 'exit' also runs after an uncaught exception or unhandled rejection ends the process.
  process.on('exit', cleanupNow);
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    process.on(signal, () => void shutdown(code));
  }
}

export interface RunResult {
  code: number | string;
  /** stdout and stderr interleaved (empty when `inherit` is set). */
  output: string;
}

/**
 * Runs a command to completion in its own process group, killing the group if it takes
 * longer than `timeoutMs`. With `inherit` its output goes straight to this terminal.
 */
export async function runToCompletion(
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs: number; inherit?: boolean },
): Promise<RunResult> {
  const group = spawnGroup(command, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: options.inherit ? ['ignore', 'inherit', 'inherit'] : ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  group.child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  group.child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    void group.stop(2000);
  }, options.timeoutMs);
  const code = await group.exited;
  clearTimeout(timer);
  // Anything the command left running in its group goes with it.
  await killGroup(group.pgid, 1000);
  if (timedOut) {
    throw new Error(`${command} ${args.join(' ')} took longer than ${Math.round(options.timeoutMs / 1000)}s and was stopped\n${output}`);
  }
  return { code, output };
}
