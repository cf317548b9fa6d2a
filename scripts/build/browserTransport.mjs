// Why: the browser build (dist/browser/extension.js, for the web worker extension host) must
// carry no Node module, and undici is one. The client requires './transport' on its first
// request; in the browser build that require resolves to src/core/transport.browser.ts, which
// gives the fetch transport under the same name. Nothing else in the code changes per host.
import * as path from 'node:path';

export function browserTransport(root) {
  const browserModule = path.join(root, 'src', 'core', 'transport.browser.ts');
  return {
    name: 'browser-transport',
    setup(build) {
      build.onResolve({ filter: /^\.\/transport$/ }, (args) =>
        path.join(args.resolveDir, 'transport') === path.join(root, 'src', 'core', 'transport') ? { path: browserModule } : undefined,
      );
    },
  };
}
