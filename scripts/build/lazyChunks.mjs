// Why: code that only runs later (undici, the API client, the key flows) lives in chunks of
// its own, so activation does not load it. This plugin turns `require('./x')` of a lazy
// chunk's source into `require('./<chunk>.js')`; a static import of one is an error (it
// would load at activation). Inside a chunk, a module extension.js already has resolves to
// extension.js's copy (its `__shared` export), so there is one `AvalaApiError` class for
// `instanceof` and one registry of secrets for redaction, whichever file threw or logged.
import * as path from 'node:path';

/**
 * The esbuild plugin. `lazyByPath` maps each chunk's absolute source path to its name.
 * Building a chunk: `entry` is its source, `shared` the absolute paths extension.js holds,
 * and `used` collects the ones the chunk takes from it.
 */
export function lazyChunks({ root, lazyByPath, entry, shared, used }) {
  return {
    name: 'lazy-chunks',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData?.resolving || args.namespace === 'avala-shared') {
          return args.namespace === 'avala-shared' ? { path: args.path, external: true } : undefined;
        }
        const resolved = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: { resolving: true },
        });
        if (resolved.errors.length > 0 || resolved.path === entry) {
          return undefined;
        }
        const chunk = lazyByPath.get(resolved.path);
        if (chunk) {
          if (args.kind !== 'require-call') {
            const rel = path.relative(root, resolved.path);
            return {
              errors: [
                { text: `${rel} is loaded lazily (dist/${chunk}.js): use \`import type\` and require() it where it is first needed` },
              ],
            };
          }
          return { path: `./${chunk}.js`, external: true };
        }
        if (shared?.has(resolved.path)) {
          used.add(resolved.path);
          return { path: path.relative(root, resolved.path), namespace: 'avala-shared' };
        }
        return undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'avala-shared' }, (args) => ({
        contents: `module.exports = require('./extension.js').__shared[${JSON.stringify(args.path)}];`,
        loader: 'js',
      }));
    },
  };
}
