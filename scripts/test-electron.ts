// npm run test:electron — the same integration tests as `npm run test:integration`, run by
// @vscode/test-electron in desktop VS Code (downloaded into .vscode-test/ on first use; it
// needs a display, e.g. xvfb-run on a headless Linux machine).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { startEmulator } from '../test/emulator/emulator';
import {
  cacheDir,
  describeError,
  repoRoot,
  sampleWorkspace,
  testSettings,
  trackTempDir,
  withTimeout,
  writeUserSettings,
} from '../test/harness';
import { writeCounts } from '../test/harness/report';

async function main(): Promise<number> {
  let vscodeExecutablePath: string;
  try {
    vscodeExecutablePath = await withTimeout(
      downloadAndUnzipVSCode({ cachePath: cacheDir, reporter: { report: () => undefined, error: () => undefined } }),
      10 * 60_000,
      'the VS Code download',
    );
  } catch (error) {
    console.log(
      `cannot download VS Code (offline?): ${firstLine(error)}; use npm run test:integration, which runs the same tests in code-server`,
    );
    return 1;
  }

  const emulator = await startEmulator({ port: 0 });
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'avala-electron-'));
  trackTempDir(work);
  const folder = path.join(work, 'sample-workspace');
  fs.cpSync(sampleWorkspace, folder, { recursive: true });
  const userDataDir = path.join(work, 'user-data');
  writeUserSettings(userDataDir, { ...testSettings(), 'avala.apiBaseUrl': emulator.baseUrl, 'avala.allowInsecureLoopback': true });
  try {
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: path.join(repoRoot, 'out', 'test', 'integration', 'index.js'),
      extensionTestsEnv: { AVALA_TEST_EMULATOR_ORIGIN: emulator.origin },
      launchArgs: [folder, '--user-data-dir', userDataDir, '--extensions-dir', path.join(work, 'extensions'), '--disable-workspace-trust'],
    });
    return 0;
  } catch (error) {
    console.log(`Integration tests failed in VS Code desktop: ${describeError(error)}`);
    writeCounts({ passed: 0, failed: 1 });
    return 1;
  } finally {
    await emulator.close();
  }
}

function firstLine(error: unknown): string {
  return describeError(error).split('\n')[0];
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
