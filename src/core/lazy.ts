/**
 * A value created on first use. For code that is large and never runs at startup: `create`
 * requires its module, which esbuild keeps in a chunk of its own (see LAZY in esbuild.mjs), so
 * activation does not load it. Callers write `.value` where they need it, so what loads late
 * shows at every use.
 */
export class Lazy<T> {
  private created: { value: T } | undefined;

  constructor(private readonly create: () => T) {}

  get value(): T {
    this.created ??= { value: this.create() };
    return this.created.value;
  }
}
