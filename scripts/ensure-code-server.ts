// Installs pinned Node and code-server into .vscode-test/ if they are not there yet (minutes on
// the first run, instant after), with the Debian packages they build with. `--browser` also
// makes sure of Chromium, which only the end-to-end tests need. `npm test` and
// `npm run test:e2e` run it before any suite, so a first install never eats a suite's time budget.
import { BROWSER, CODE_SERVER_VERSION, describeError, ensureCodeServer, ensureDebianPackages } from '../test/harness';

async function main(): Promise<void> {
  await ensureCodeServer();
  console.log(`code-server ${CODE_SERVER_VERSION} is installed in .vscode-test/`);
  if (process.argv.includes('--browser')) {
    await ensureDebianPackages(BROWSER);
  }
}

main().catch((error) => {
  console.error(describeError(error));
  process.exit(1);
});
