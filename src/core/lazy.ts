/**
 * Stands in for an object until it is first used, then creates it and forwards to it. For
 * code that is large and never runs at startup: `create` requires its module, which esbuild
 * keeps in a chunk of its own (see LAZY in esbuild.mjs), so activation does not load it.
 */
export function lazyInstance<T extends object>(create: () => T): T {
  let instance: T | undefined;
  return new Proxy({} as T, {
    get(_, property) {
      instance ??= create();
      const value: unknown = Reflect.get(instance, property, instance);
      return typeof value === 'function' ? value.bind(instance) : value;
    },
  });
}
