/**
 * What a key command receives: a key id (from another command or a test), a Keys view node
 * (`keyId`), or a key's metadata (`id`); nothing when run from the Command Palette.
 */
export type KeyArg = string | { keyId?: string; id?: string } | undefined;

/** The key id a command argument names, or undefined when it names none (so the command asks). */
export function keyIdOf(arg: KeyArg): string | undefined {
  if (typeof arg === 'string') {
    return arg;
  }
  return arg?.keyId ?? arg?.id;
}
