// Installs pinned Node and code-server into .vscode-test/ if they are not there yet (minutes on
// the first run, instant after). `npm test` and `npm run test:e2e` run it before any suite, so
// a first install never eats a suite's time budget.
import { CODE_SERVER_VERSION, describeError, ensureCodeServer } from '../test/harness';

ensureCodeServer().then(
  () => console.log(`code-server ${CODE_SERVER_VERSION} is installed in .vscode-test/`),
  (error) => {
    console.error(describeError(error));
    process.exit(1);
  },
);
