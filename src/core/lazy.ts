/**
 * A value created on first use. For code that is large and never runs at startup: `create`
 * requires its module, which esbuild keeps in a chunk of its own (see LAZY in esbuild.mjs), so
 * activation does not load it. Callers write `.value` where they need it, so what loads late
 * shows at every use.
 */
export class Lazy<T> {
  private created: { value: T } | undefined;

  constructor(private readonly create: () => T) {}

  /** Whether `value` was created: a shell asks this to answer without loading (e.g. no diagnostics yet, so no quick fixes). */
  get loaded(): boolean {
    return this.created !== undefined;
  }

  get value(): T {
    this.created ??= { value: this.create() };
    return this.created.value;
  }
}

/** Disposes a lazy value when it was created; one never created stays so (disposing loads nothing). */
export function disposeIfLoaded(lazy: Lazy<{ dispose(): unknown }>): { dispose(): void } {
  return { dispose: () => (lazy.loaded ? void lazy.value.dispose() : undefined) };
}
