// Why: the plain-TypeScript SHA-256 (src/core/sha256.ts) exists for the browser build, where
// node:crypto does not. In the Node build it would only add its tables to extension.js, which
// must stay small: there `./sha256` resolves to src/core/sha256.node.ts, on node:crypto.
import * as path from 'node:path';

export function nodeHash(root) {
  const nodeModule = path.join(root, 'src', 'core', 'sha256.node.ts');
  const portable = path.join(root, 'src', 'core', 'sha256');
  return {
    name: 'node-hash',
    setup(build) {
      build.onResolve({ filter: /\/sha256$/ }, (args) =>
        path.join(args.resolveDir, args.path) === portable ? { path: nodeModule } : undefined,
      );
    },
  };
}
