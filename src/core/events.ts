// A minimal event emitter shaped like vscode.EventEmitter, so core classes stay free of
// the vscode module and can be tested in plain Node.
//
// Module state: where listener failures go. One per extension host, so this module must stay
// in extension.js, never be copied into a lazy chunk (checked by scripts/build/moduleState.mjs).
import { redactValue } from './redact';

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (value: T) => void) => Disposable;

/** Told about an exception a listener threw; the other listeners still run. */
export type ListenerErrorReporter = (error: unknown) => void;

// Until activation points it at the log: the console, where a test or a script sees it.
// eslint-disable-next-line no-console -- the one place before the log exists; redacted like the log
const toConsole: ListenerErrorReporter = (error) => console.error(`An event listener failed: ${redactValue(error)}`);

let reportListenerError: ListenerErrorReporter = toConsole;

/** Called once on activation with the log; `undefined` goes back to the console. */
export function setListenerErrorReporter(next: ListenerErrorReporter | undefined): void {
  reportListenerError = next ?? toConsole;
}

export class Emitter<T> implements Disposable {
  private listeners = new Set<(value: T) => void>();

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (error) {
        // A failing listener must not stop the others, nor go unnoticed.
        reportListenerError(error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
