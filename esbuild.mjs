// Bundles the extension. Two entry points on purpose: `extension.js` is what VS Code
// loads at activation and must stay small; `transport.js` carries undici and is only
// required on the first network request (see src/core/client.ts).
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Keeps `./transport` out of extension.js so undici loads lazily from its own file. */
const lazyTransport = {
  name: 'lazy-transport',
  setup(build) {
    build.onResolve({ filter: /^\.\/transport$/ }, (args) =>
      args.importer.endsWith('extension.ts') || args.kind === 'require-call'
        ? { path: './transport.js', external: true }
        : undefined,
    );
  },
};

const options = {
  entryPoints: { extension: 'src/extension.ts', transport: 'src/core/transport.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['vscode'],
  sourcemap: !production,
  minify: production,
  legalComments: production ? 'none' : 'inline',
  logLevel: 'info',
  plugins: [lazyTransport],
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
