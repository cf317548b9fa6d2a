// Why: activation compiles all of extension.js before activate() runs, so its size is a cost
// every window pays at startup (issue 16: under 40 KB). The production build fails over the
// budget, and with it `npm run package`, so no .vsix ships a larger one; code not needed at
// startup goes into a lazy chunk (LAZY in esbuild.mjs).

/** The most bytes the production extension.js may have. */
export const ACTIVATION_BUDGET_BYTES = 40 * 1024;

/** Why a production extension.js of `bytes` is over the budget, or undefined when it is not. */
export function activationBudgetProblem(bytes, budget = ACTIVATION_BUDGET_BYTES) {
  if (bytes < budget) {
    return undefined;
  }
  return (
    `dist/extension.js is ${(bytes / 1024).toFixed(1)} KB, over its ${(budget / 1024).toFixed(0)} KB budget: everything in it compiles at ` +
    'activation. Move code not needed at startup into a lazy chunk (LAZY in esbuild.mjs); `node esbuild.mjs --production --analyze` lists what each module adds.'
  );
}
