// User-facing text from modules that do not import 'vscode' (src/core). They call l10n.t()
// like the rest of the extension calls vscode.l10n.t(): activation points it at
// vscode.l10n.t, so VS Code's translations apply; elsewhere (unit tests, the emulator's
// tools) it only fills in the {0}, {1}, … placeholders. Import it as
// `import * as l10n from './l10n'`: `npm run l10n` collects every `l10n.t('…')` message into
// l10n/bundle.l10n.json.
//
// Module state: the localizer. One per extension host, so this module must stay in
// extension.js, never be copied into a lazy chunk (checked by scripts/build/moduleState.mjs).

export type Localize = (message: string, ...args: Array<string | number | boolean>) => string;

function fillIn(message: string, ...args: Array<string | number | boolean>): string {
  if (args.length === 0) {
    return message;
  }
  return message.replace(/\{(\d+)\}/g, (match, index: string) => {
    const value = args[Number(index)];
    return value === undefined ? match : String(value);
  });
}

let localize: Localize = fillIn;

/** The message in the user's language, with `{0}`, `{1}`, … replaced by `args`. */
export function t(message: string, ...args: Array<string | number | boolean>): string {
  return localize(message, ...args);
}

/** Called once on activation with VS Code's translator. */
export function setLocalizer(next: Localize | undefined): void {
  localize = next ?? fillIn;
}
