import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

// out/test/unit/scripts/build → the project root.
const root = path.resolve(__dirname, '..', '..', '..', '..', '..');

interface Budget {
  ACTIVATION_BUDGET_BYTES: number;
  activationBudgetProblem(bytes: number, budget?: number): string | undefined;
}

const load = (): Promise<Budget> => import(pathToFileURL(path.join(root, 'scripts', 'build', 'budget.mjs')).href) as Promise<Budget>;

describe('the production build fails when extension.js is over its activation budget', () => {
  it('is 40 KB, and a bundle just under it passes', async () => {
    const { ACTIVATION_BUDGET_BYTES, activationBudgetProblem } = await load();
    assert.equal(ACTIVATION_BUDGET_BYTES, 40 * 1024);
    assert.equal(activationBudgetProblem(40 * 1024 - 1), undefined);
  });

  it('at or over it, says by how much and how to find what to move', async () => {
    const { activationBudgetProblem } = await load();
    const problem = activationBudgetProblem(45_000);
    assert.ok(problem);
    assert.match(problem, /^dist\/extension\.js is 43\.9 KB, over its 40 KB budget/);
    assert.match(problem, /lazy chunk \(LAZY in esbuild\.mjs\).*--production --analyze/);
    assert.ok(activationBudgetProblem(40 * 1024));
  });

  it('esbuild.mjs applies it to the production build', () => {
    const build = fs.readFileSync(path.join(root, 'esbuild.mjs'), 'utf8');
    assert.match(build, /production && activationBudgetProblem\(fs\.statSync\(path\.join\(root, 'dist', 'extension\.js'\)\)\.size\)/);
  });
});
