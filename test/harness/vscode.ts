import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureCodeServer } from './install';
import { extensionVsix } from './paths';
import { removeTempDir, runToCompletion, spawnGroup, trackTempDir, untrackTempDir, type GroupProcess } from './processes';
import { describeError, waitFor } from './wait';

/** Loading the workbench in Chromium; on a busy two-core machine this has taken over 30 s. */
export const STARTUP_TIMEOUT_MS = 90_000;

export interface StartVSCodeOptions {
  /** Folder to open. */
  folder: string;
  /** User settings, merged over {@link testSettings}. */
  settings?: Record<string, unknown>;
  /**
   * Whether the folder is trusted. true (default): the Workspace Trust feature is off
   * (`security.workspace.trust.enabled: false`, `--disable-workspace-trust`), so the folder
   * is trusted and keys may be injected. false: trust is on and the folder opens in
   * Restricted Mode, without the startup prompt (unless `settings` ask for one).
   */
  trust?: boolean;
  /** The extensions to install; defaults to the packaged `avala-vscode.vsix`. */
  extensions?: string[];
  /** More vsix files (or marketplace ids) to install beside them. */
  extraExtensions?: string[];
  /** Fixed port; a free loopback port by default. */
  port?: number;
  /** A persistent user-data dir (never deleted); a fresh temporary one by default. */
  userDataDir?: string;
  /** A persistent extensions dir (never deleted); a fresh temporary one by default. */
  extensionsDir?: string;
  /**
   * A folder {@link installExtensions} filled: copied into the fresh extensions dir instead of
   * installing `extensions` again (a `--install-extension` run costs 2–4 s per window here).
   */
  extensionsFrom?: string;
  /** Extra environment for code-server (and so the extension host and terminals). */
  env?: Record<string, string>;
  /**
   * Built-in extensions to leave out (e.g. {@link SKIPPED_BUILTIN_EXTENSIONS}); none by
   * default. See the warning there.
   */
  skipBuiltinExtensions?: string[];

  /** Keep the temporary folders after stop() (also: AVALA_KEEP_TEMP=1). */
  keep?: boolean;
}

export interface VSCodeInstance {
  /** Opens the folder: `http://127.0.0.1:PORT/?folder=...`. */
  url: string;
  origin: string;
  port: number;
  folder: string;
  userDataDir: string;
  extensionsDir: string;
  /** code-server's own stdout/stderr. */
  serverLog: string;
  process: GroupProcess;
  /** The extension host logs (activation lines live here), joined; '' before the host starts. */
  extensionHostLog(): string;
  /** The "Avala" output channel's log file contents, if the extension has written one. */
  avalaLog(): string | undefined;
  /** Milliseconds spent installing the extensions and waiting for code-server to answer. */
  startup: { installMs: number; serverMs: number };
  /** Kills code-server's process group and removes the temporary folders. */
  stop(): Promise<void>;
}

/**
 * Built-ins Avala does not use that cost a busy two-core machine seconds at every start (git
 * scans the folder, TypeScript and JSON start language servers). Opt-in only, through
 * `skipBuiltinExtensions`: with them left out, the workbench tried to run some of them in a web
 * worker instead, and the extension host was sometimes restarted a few seconds after it
 * started (2 of ~14 integration runs, against 0 of 6 without).
 */
export const SKIPPED_BUILTIN_EXTENSIONS = [
  'vscode.git',
  'vscode.git-base',
  'vscode.github',
  'vscode.github-authentication',
  'vscode.emmet',
  'vscode.merge-conflict',
  'vscode.npm',
  'vscode.typescript-language-features',
  'vscode.json-language-features',
];

/** Settings every test run starts from: quiet, offline, no welcome page, no chat. */
export function testSettings(trusted = true): Record<string, unknown> {
  return {
    'workbench.startupEditor': 'none',
    'workbench.welcomePage.walkthroughs.openOnInstall': false,
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden',
    'telemetry.telemetryLevel': 'off',
    'chat.disableAIFeatures': true,
    'chat.commandCenter.enabled': false,
    'security.workspace.trust.enabled': !trusted,
    'security.workspace.trust.startupPrompt': 'never',
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'update.mode': 'none',
    'git.openRepositoryInParentFolders': 'never',
    'terminal.integrated.defaultProfile.linux': 'bash',
    // Shells without this machine's startup files: a profile's own work (pyenv rehashing under
    // a lock that a killed shell leaves behind held one test's shell for 60 s) is not ours to
    // wait for, and the environment a test sees is then what VS Code and Avala put there.
    'terminal.integrated.profiles.linux': { bash: { path: 'bash', args: ['--noprofile', '--norc'] } },
    'terminal.integrated.enablePersistentSessions': false,
    'terminal.integrated.gpuAcceleration': 'off',
  };
}

/** Starts code-server on loopback with fresh user data and the given extensions installed. */
export async function startVSCode(options: StartVSCodeOptions): Promise<VSCodeInstance> {
  const install = await ensureCodeServer();
  const trust = options.trust ?? true;
  const keep = options.keep || process.env.AVALA_KEEP_TEMP === '1';
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-vscode-'));
  trackTempDir(root);
  const userDataDir = options.userDataDir ?? path.join(root, 'user-data');
  const extensionsDir = options.extensionsDir ?? path.join(root, 'extensions');
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  writeUserSettings(userDataDir, { ...testSettings(trust), ...options.settings });
  // An empty config file keeps code-server from reading or creating ~/.config/code-server.
  const configFile = path.join(root, 'config.yaml');
  fs.writeFileSync(configFile, '');
  const env: NodeJS.ProcessEnv = { ...install.env, ...options.env };
  if (options.skipBuiltinExtensions?.length) {
    env.VSCODE_SKIP_BUILTIN_EXTENSIONS = options.skipBuiltinExtensions.join(',');
  }
  const common = ['--config', configFile, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

  const installStarted = Date.now();
  if (options.extensionsFrom) {
    copyExtensions(options.extensionsFrom, extensionsDir);
  } else {
    const extensions = [...(options.extensions ?? [extensionVsix]), ...(options.extraExtensions ?? [])];
    await installExtensions(extensionsDir, extensions, { args: ['--config', configFile, '--user-data-dir', userDataDir], env });
  }
  const installMs = Date.now() - installStarted;
  const serverStarted = Date.now();
  const port = options.port ?? (await freePort());
  const origin = `http://127.0.0.1:${port}`;
  const serverLog = path.join(root, 'code-server.log');
  const args = [
    ...common,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    ...(trust ? ['--disable-workspace-trust'] : []),
    options.folder,
  ];
  const server = spawnGroup(install.codeServer, args, { env, logFile: serverLog });
  const cleanup = async (): Promise<void> => {
    await server.stop();
    if (keep) {
      untrackTempDir(root);
      // Said only when a person asked; a test that keeps them (the leak audit) removes them itself.
      if (process.env.AVALA_KEEP_TEMP === '1') {
        console.log(`Kept code-server folders in ${root}`);
      }
    } else {
      removeTempDir(root);
    }
  };
  try {
    const state = await waitFor(
      async () => {
        if (server.hasExited()) {
          return 'exited';
        }
        const response = await fetch(`${origin}/healthz`, { signal: AbortSignal.timeout(2000) });
        return response.ok && 'ready';
      },
      { description: `code-server to answer on ${origin}`, timeoutMs: 60_000, intervalMs: 200 },
    );
    if (state === 'exited') {
      throw new Error(`code-server exited (${await server.exited}) before answering on ${origin}`);
    }
  } catch (error) {
    await cleanup();
    throw new Error(`${describeError(error)}\ncode-server log:\n${readIfExists(serverLog)}`, { cause: error });
  }

  return {
    url: folderUrl(origin, options.folder),
    origin,
    port,
    folder: options.folder,
    userDataDir,
    extensionsDir,
    serverLog,
    process: server,
    extensionHostLog: () => extensionHostLog(userDataDir),
    avalaLog: () => avalaLog(userDataDir),
    startup: { installMs, serverMs: Date.now() - serverStarted },
    stop: cleanup,
  };
}

/**
 * Installs vsix files (or marketplace ids) into `extensionsDir` with code-server's own
 * `--install-extension`. `args` are the window's `--config`/`--user-data-dir` arguments, when
 * there is a window; without them a throwaway user-data folder is used.
 */
export async function installExtensions(
  extensionsDir: string,
  extensions: string[],
  options: { args?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<void> {
  if (extensions.length === 0) {
    return;
  }
  const install = await ensureCodeServer();
  fs.mkdirSync(extensionsDir, { recursive: true });
  let scratch: string | undefined;
  let common = options.args ?? [];
  if (common.length === 0) {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-install-'));
    trackTempDir(scratch);
    const configFile = path.join(scratch, 'config.yaml');
    fs.writeFileSync(configFile, '');
    common = ['--config', configFile, '--user-data-dir', path.join(scratch, 'user-data')];
  }
  try {
    const args = [
      ...common,
      '--extensions-dir',
      extensionsDir,
      ...extensions.flatMap((extension) => ['--install-extension', extension]),
      '--force',
    ];
    const result = await runToCompletion(install.codeServer, args, { env: options.env ?? install.env, timeoutMs: 120_000 });
    if (result.code !== 0 || /Failed Installing|Error:/i.test(result.output)) {
      throw new Error(`code-server --install-extension failed (exit ${result.code}):\n${result.output}`);
    }
  } finally {
    if (scratch) {
      removeTempDir(scratch);
    }
  }
}

/**
 * Copies an extensions folder that {@link installExtensions} filled, pointing the locations
 * its `extensions.json` records at the copy.
 */
function copyExtensions(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
  const manifest = path.join(to, 'extensions.json');
  if (!fs.existsSync(manifest)) {
    return;
  }
  const entries = JSON.parse(fs.readFileSync(manifest, 'utf8')) as { relativeLocation?: string; location?: Record<string, unknown> }[];
  for (const entry of entries) {
    if (entry.relativeLocation) {
      const dir = path.join(to, entry.relativeLocation);
      entry.location = { $mid: 1, fsPath: dir, external: pathToFileURL(dir).href, path: dir, scheme: 'file' };
    }
  }
  fs.writeFileSync(manifest, JSON.stringify(entries));
}

/** The workbench address for a folder (or a .code-workspace file), with readable slashes. */
export function folderUrl(origin: string, folder: string): string {
  const kind = folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
  return `${origin}/?${kind}=${encodeURIComponent(folder).replace(/%2F/g, '/')}`;
}

/**
 * Writes the settings twice. code-server's window is a remote window, where `User/settings.json`
 * (the browser-side user settings) cannot set `machine`-scoped settings such as
 * `avala.apiBaseUrl`: those only count from the remote machine's `Machine/settings.json`.
 * Application-scoped ones (telemetry, trust) only count from `User/settings.json`.
 */
export function writeUserSettings(userDataDir: string, settings: Record<string, unknown>): void {
  for (const scope of ['User', 'Machine']) {
    const file = path.join(userDataDir, scope, 'settings.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
  }
}

/** Joined contents of every `U/logs/<time>/exthost<n>/remoteexthost.log`, oldest session first. */
export function extensionHostLog(userDataDir: string): string {
  return findLogFiles(userDataDir, (file) => path.basename(file) === 'remoteexthost.log' && /exthost\d*$/.test(path.dirname(file)))
    .map(readIfExists)
    .join('\n');
}

/** The "Avala" output channel's log: a file under `U/logs` whose name contains "Avala". */
export function avalaLog(userDataDir: string): string | undefined {
  const files = findLogFiles(userDataDir, (file) => path.basename(file).includes('Avala'));
  return files.length > 0 ? files.map(readIfExists).join('\n') : undefined;
}

/** All log files under `U/logs` matching `accept`, sorted by path (session folders are timestamps). */
export function findLogFiles(userDataDir: string, accept: (file: string) => boolean): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (accept(full)) {
        found.push(full);
      }
    }
  };
  walk(path.join(userDataDir, 'logs'));
  return found.sort();
}

/** A port nobody listens on right now, on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function readIfExists(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
