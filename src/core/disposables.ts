// The one way to dispose of many things at once, so no class writes its own loop. No vscode
// import: a vscode.Disposable fits `Disposable`, and a DisposableStore fits vscode.Disposable.
import type { Disposable } from './events';

/**
 * Disposes every item, in order. One that throws does not stop the others; the first error
 * is thrown once all had their turn.
 */
export function disposeAll(items: Iterable<Disposable>): void {
  let failure: { error: unknown } | undefined;
  for (const item of items) {
    try {
      item.dispose();
    } catch (error) {
      failure ??= { error };
    }
  }
  if (failure) {
    throw failure.error;
  }
}

/** Owns disposables and disposes of them together. One added after `dispose()` is disposed at once. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  add(...items: Disposable[]): void {
    if (this.disposed) {
      disposeAll(items);
    } else {
      this.items.push(...items);
    }
  }

  dispose(): void {
    this.disposed = true;
    disposeAll(this.items.splice(0));
  }
}
