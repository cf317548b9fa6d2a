/** The names of Avala's language-model tools, as package.json's `languageModelTools` declares them. */
export const TOOL_NAMES = {
  keyStatus: 'avala_keyStatus',
  validateKey: 'avala_validateKey',
  requiredScopes: 'avala_requiredScopes',
} as const;
