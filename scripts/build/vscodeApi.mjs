// Why: `import * as vscode from 'vscode'` in a CommonJS bundle becomes
// `__toESM(require('vscode'))`, which copies every name of the API object (200 or so, as
// getters) into a new object, once per importing file (two dozen), when the bundle loads:
// requiring extension.js took about 55 ms of CPU with it and 22 ms without (npm run bench).
// This plugin resolves 'vscode' to a small module that reads each name the code uses once;
// the bundle refers to those directly. Names come from @types/vscode (a name it lacks fails
// the build); unused ones are dropped.
import * as fs from 'node:fs';
import * as path from 'node:path';

function vscodeApiNames(root) {
  const typings = fs.readFileSync(path.join(root, 'node_modules', '@types', 'vscode', 'index.d.ts'), 'utf8');
  return [...new Set([...typings.matchAll(/^\texport (?:class|enum|namespace|const|function|let) (\w+)/gm)].map((m) => m[1]))];
}

/** The esbuild plugin; `root` is the folder with node_modules/@types/vscode. */
export function vscodeApi(root) {
  return {
    name: 'vscode-api',
    setup(build) {
      build.onResolve({ filter: /^vscode$/ }, (args) =>
        args.namespace === 'vscode-api' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-api' },
      );
      build.onLoad({ filter: /.*/, namespace: 'vscode-api' }, () => ({
        contents: [
          "const api = require('vscode');",
          'const read = (name) => api[name];',
          ...vscodeApiNames(root).map((name) => `export const ${name} = /* @__PURE__ */ read(${JSON.stringify(name)});`),
        ].join('\n'),
        loader: 'js',
      }));
    },
  };
}
