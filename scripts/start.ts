// npm start — a demo: the Avala API emulator plus code-server with the packaged extension,
// opened on a persistent copy of the sample workspace. Ctrl+C stops everything.
//
//   npm start [-- --port 8080] [-- --emulator-port 4010] [-- --verbose]
//   npm start -- --desktop     desktop VS Code (`code` on PATH) with the extension under development
//
// The demo keeps its user data in .vscode-test/demo/ so keys stored in SecretStorage survive a
// restart (the emulator itself forgets its keys when it stops).
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { startEmulator, type RunningEmulator } from '../test/emulator/emulator';
import {
  cacheDir,
  describeError,
  formatDuration,
  onShutdown,
  packageExtension,
  repoRoot,
  sampleWorkspace,
  startVSCode,
  testSettings,
} from '../test/harness';

const demoDir = path.join(cacheDir, 'demo');

interface Options {
  port: number;
  emulatorPort: number;
  desktop: boolean;
  verbose: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { port: 8080, emulatorPort: 4010, desktop: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split('=', 2);
    const value = (): number => {
      const text = inline ?? argv[++i];
      const port = Number(text);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`${flag} needs a port number, got ${text}`);
      }
      return port;
    };
    if (flag === '--port') options.port = value();
    else if (flag === '--emulator-port') options.emulatorPort = value();
    else if (flag === '--desktop') options.desktop = true;
    else if (flag === '--verbose') options.verbose = true;
    else throw new Error(`unknown option ${argv[i]} (options: --port N, --emulator-port N, --desktop, --verbose)`);
  }
  return options;
}

async function main(): Promise<void> {
  const started = Date.now();
  const options = parseArgs(process.argv.slice(2));
  if (options.desktop && !onPath('code')) {
    throw new Error(
      '`code` is not on PATH, so desktop VS Code cannot be started. Install VS Code and run ' +
        '"Shell Command: Install \'code\' command in PATH", or run `npm start` without --desktop to use VS Code in the browser.',
    );
  }
  await requireFreePort(options.emulatorPort, '--emulator-port');
  if (!options.desktop) {
    await requireFreePort(options.port, '--port');
  }

  const folder = path.join(demoDir, 'workspace');
  // Adds what the sample gained since the last demo; never overwrites a person's edits.
  fs.cpSync(sampleWorkspace, folder, { recursive: true, force: false, errorOnExist: false });
  const emulator = await startEmulator({ port: options.emulatorPort, quiet: !options.verbose });
  onShutdown(() => emulator.close());
  // The demo's terminals start the person's own shell, profile and all (tests use a bare one).
  const settings = {
    ...testSettings(),
    'terminal.integrated.profiles.linux': undefined,
    'avala.apiBaseUrl': emulator.baseUrl,
    'avala.allowInsecureLoopback': true,
  };

  if (options.desktop) {
    await runDesktop(emulator, folder, settings);
    return;
  }

  const vsix = await packageExtension();
  const vscode = await startVSCode({
    folder,
    port: options.port,
    extensions: [vsix],
    userDataDir: path.join(demoDir, 'user-data'),
    extensionsDir: path.join(demoDir, 'extensions'),
    settings: { ...readSettings(path.join(demoDir, 'user-data', 'User', 'settings.json')), ...settings },
  });
  let stopping = false;
  onShutdown(() => {
    stopping = true;
    return vscode.stop();
  });
  console.log(`Ready in ${formatDuration(Date.now() - started)}. Ctrl+C stops both.`);
  console.log(`VS Code: ${vscode.url}`);
  console.log(`Avala API emulator: ${emulatorLine(emulator)}`);
  const code = await vscode.process.exited;
  if (stopping) {
    // Ctrl+C: the shutdown handler finishes and exits.
    return new Promise<void>(() => undefined);
  }
  await emulator.close();
  throw new Error(`code-server stopped unexpectedly (${code}); its log: ${vscode.serverLog}`);
}

/** Desktop VS Code with the extension loaded from this repository (built, not packaged). */
async function runDesktop(emulator: RunningEmulator, folder: string, settings: Record<string, unknown>): Promise<void> {
  const build = spawnSync('npm', ['run', 'build'], { cwd: repoRoot, encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  }
  const userDataDir = path.join(demoDir, 'desktop-user-data');
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, `${JSON.stringify({ ...readSettings(settingsFile), ...settings }, null, 2)}\n`);
  console.log(`VS Code: desktop window on ${folder} (closing the window stops the emulator)`);
  console.log(`Avala API emulator: ${emulatorLine(emulator)}`);
  // --wait keeps `code` running until the window closes, so the emulator lives as long as it.
  const code = spawn(
    'code',
    ['--wait', '--new-window', `--user-data-dir=${userDataDir}`, `--extensionDevelopmentPath=${repoRoot}`, folder],
    {
      stdio: 'inherit',
    },
  );
  await new Promise<void>((resolve) => code.once('exit', () => resolve()));
  await emulator.close();
}

function emulatorLine(emulator: RunningEmulator): string {
  const body = JSON.stringify({ name: 'dev', scopes: ['datasets.read'] });
  return `${emulator.baseUrl} (create keys: curl -X POST ${emulator.origin}/__admin/keys -H 'content-type: application/json' -d '${body}')`;
}

/** The demo's existing settings, so a person's own changes survive a restart. */
function readSettings(file: string): Record<string, unknown> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function requireFreePort(port: number, flag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', () =>
      reject(new Error(`port ${port} on 127.0.0.1 is in use (an earlier npm start still running?); choose another with ${flag} N`)),
    );
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve()));
  });
}

main().catch((error) => {
  console.error(`npm start: ${describeError(error)}`);
  process.exit(1);
});
