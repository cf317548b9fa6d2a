/**
 * Escapes text from a user or a server for a VS Code MarkdownString (tooltips), theme icon
 * syntax `$(…)` included. The characters are VS Code's own `escapeMarkdownSyntaxTokens` plus
 * `$` (theme icons), `|` (tables) and `<` `>` (HTML). "-", "=" and "1." only mean something
 * at the start of a line (a list, a rule, a heading), so only there are they escaped and
 * elsewhere they stay readable in the source.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#+!|<>$~]/g, '\\$&')
    .replace(/^([ \t]*)([-=])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])/gm, '$1\\$2');
}
