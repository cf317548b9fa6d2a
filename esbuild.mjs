// Bundles the extension. `extension.js` is what VS Code loads at activation and must stay
// small (under 100 KB, see `npm run bench`). Code that only runs later lives in lazy chunks:
// each is `dist/<name>.js`, loaded by a `require('./<module>')` where it is first needed.
//
// A module that extension.js and a chunk both use is not copied into the chunk: the chunk
// takes it from extension.js (its `__shared` export), so there is one `AvalaApiError` class
// for `instanceof` and one registry of secrets for redaction, whichever file threw or logged.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const root = path.dirname(new URL(import.meta.url).pathname);

/** Lazy chunks and their sources. */
const LAZY = {
  // undici: on the first request.
  transport: 'src/core/transport.ts',
  // The API client and its response classification: on the first request.
  client: 'src/core/client.ts',
  // Sign up, log in, import, switch, rename, remove, copy: on the first of those commands.
  keyCommands: 'src/keys/keyCommands.ts',
  // Asking before a workspace takes a key: on the first launch or task that needs the answer.
  keyAccess: 'src/inject/keyAccess.ts',
};
const lazyByPath = new Map(Object.entries(LAZY).map(([name, file]) => [path.join(root, file), name]));

/**
 * `import * as vscode from 'vscode'` in a CommonJS bundle becomes `__toESM(require('vscode'))`,
 * which copies every name of the API object (200 or so, as getters) into a new object, once per
 * importing file (two dozen), when the bundle loads: requiring extension.js took about 55 ms of
 * CPU with it and 22 ms without (npm run bench). This resolves 'vscode' to a small module that
 * reads each name the code uses once; the bundle refers to those directly. Names come from
 * @types/vscode (a name it lacks fails the build); unused ones are dropped.
 */
function vscodeApiNames() {
  const typings = fs.readFileSync(path.join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  return [...new Set([...typings.matchAll(/^\texport (?:class|enum|namespace|const|function|let) (\w+)/gm)].map((m) => m[1]))];
}

const vscodeApi = {
  name: 'vscode-api',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-api' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-api' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-api' }, () => ({
      contents: [
        "const api = require('vscode');",
        'const read = (name) => api[name];',
        ...vscodeApiNames().map((name) => `export const ${name} = /* @__PURE__ */ read(${JSON.stringify(name)});`),
      ].join('\n'),
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'warning',
  absWorkingDir: root,
};

/**
 * `require('./x')` of a lazy chunk's source becomes `require('./<chunk>.js')`; a static import
 * of one is an error (it would load at activation). Inside a chunk, a module extension.js
 * already has resolves to extension.js's copy (`shared` lists those and collects the ones used).
 */
function lazyChunks({ entry, shared, used } = {}) {
  return {
    name: 'lazy-chunks',
    setup(build) {
      build.onResolve({ filter: /^\./ }, async (args) => {
        if (args.pluginData?.resolving || args.namespace === 'avala-shared') {
          return args.namespace === 'avala-shared' ? { path: args.path, external: true } : undefined;
        }
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: { resolving: true } });
        if (resolved.errors.length > 0 || resolved.path === entry) {
          return undefined;
        }
        const chunk = lazyByPath.get(resolved.path);
        if (chunk) {
          if (args.kind !== 'require-call') {
            const rel = path.relative(root, resolved.path);
            return { errors: [{ text: `${rel} is loaded lazily (dist/${chunk}.js): use \`import type\` and require() it where it is first needed` }] };
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

async function buildAll() {
  // 1. What extension.js holds.
  const first = await esbuild.build({ ...common, entryPoints: ['src/extension.ts'], write: false, metafile: true, sourcemap: false, plugins: [vscodeApi, lazyChunks()] });
  const shared = new Set(Object.keys(first.metafile.inputs).map((file) => path.join(root, file)));
  // 2. The chunks, taking what extension.js holds from it.
  const used = new Set();
  for (const [name, file] of Object.entries(LAZY)) {
    await esbuild.build({ ...common, entryPoints: { [name]: file }, outdir: 'dist', plugins: [vscodeApi, lazyChunks({ entry: path.join(root, file), shared, used })] });
  }
  // 3. extension.js, exporting the modules the chunks take from it.
  const modules = [...used].map((file) => path.relative(root, file)).sort();
  const contents = [
    "export * from './src/extension';",
    ...modules.map((file, i) => `import * as shared${i} from './${file.replace(/\.ts$/, '')}';`),
    `export const __shared = { ${modules.map((file, i) => `${JSON.stringify(file)}: shared${i}`).join(', ')} };`,
  ].join('\n');
  await esbuild.build({
    ...common,
    stdin: { contents, resolveDir: root, sourcefile: 'src/extension.entry.ts', loader: 'ts' },
    outfile: 'dist/extension.js',
    plugins: [vscodeApi, lazyChunks()],
  });
  const sizes = ['extension', ...Object.keys(LAZY)].map((name) => `${name}.js ${(fs.statSync(path.join(root, 'dist', `${name}.js`)).size / 1024).toFixed(1)} KB`);
  console.log(`dist/: ${sizes.join(', ')}`);
}

if (watch) {
  // Three builds depend on each other, so a change rebuilds all (esbuild takes well under a second).
  let timer;
  const rebuild = () => buildAll().catch((error) => console.error(error.message));
  await rebuild();
  fs.watch(path.join(root, 'src'), { recursive: true }, () => {
    clearTimeout(timer);
    timer = setTimeout(rebuild, 100);
  });
  console.log('Watching src/ for changes…');
} else {
  await buildAll();
}
