// Deletes compiled files in out/ whose TypeScript source is gone, and the folders that leaves
// empty. tsc never removes them, and mocha would go on running a moved, renamed or deleted test
// from its stale .js (its spec globs reach into every subfolder of out/test/unit).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, 'out');

function prune(dir) {
  let entries;
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      prune(full);
      continue;
    }
    const match = /^(.*)\.(js|js\.map|d\.ts)$/.exec(entry.name);
    if (!match) {
      continue;
    }
    const source = path.join(root, path.relative(out, dir), `${match[1]}.ts`);
    if (!fs.existsSync(source)) {
      fs.rmSync(full, { force: true });
    }
  }
  if (dir !== out && fs.readdirSync(dir).length === 0) {
    fs.rmdirSync(dir);
  }
}

prune(out);
