// Why: a module with top-level state must exist once per extension host. A lazy chunk that
// copied one would hold a second registry of secrets that redaction never sees, or a
// localizer activation never set. The lazy-chunks plugin makes a chunk take what
// extension.js holds from it; this check fails the build when a stateful module reaches a
// chunk anyway (because extension.js stopped importing it, or a chunk imports it first).

/** Modules with top-level state, and what the state is. Each says so in its first lines. */
export const MODULE_STATE = {
  'src/core/redact.ts': 'the registry of secrets every log line is redacted against',
  'src/core/l10n.ts': 'the localizer activation points at VS Code',
  'src/core/events.ts': 'where listener failures are reported (the log, after activation)',
};

/**
 * What is wrong, one sentence each: a listed module that does not exist, or one copied into
 * a chunk. `chunks` maps each chunk's name to its esbuild metafile (inputs are paths relative
 * to the project root); `exists` says whether such a path exists.
 */
export function moduleStateProblems({ chunks, stateful = MODULE_STATE, exists }) {
  const problems = [];
  for (const file of Object.keys(stateful)) {
    if (!exists(file)) {
      problems.push(`${file} is listed in scripts/build/moduleState.mjs but does not exist: update the list.`);
    }
  }
  for (const [chunk, metafile] of Object.entries(chunks)) {
    for (const file of Object.keys(metafile.inputs)) {
      if (Object.hasOwn(stateful, file)) {
        problems.push(
          `dist/${chunk}.js would get its own copy of ${file} (${stateful[file]}). Module state must exist once, in extension.js: ` +
            `import ${file} from a module extension.js loads at activation, so the chunk takes extension.js's copy.`,
        );
      }
    }
  }
  return problems;
}
