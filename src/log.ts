import * as vscode from 'vscode';
import { redact, redactValue } from './core/redact';

/** The "Avala" output channel. Every line passes redaction, whatever the caller hands in. */
export class Log implements vscode.Disposable {
  private readonly channel: vscode.LogOutputChannel;

  constructor() {
    this.channel = vscode.window.createOutputChannel('Avala', { log: true });
  }

  info(message: string, ...args: unknown[]): void {
    this.channel.info(this.format(message, args));
  }

  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(this.format(message, args));
  }

  error(message: string, ...args: unknown[]): void {
    this.channel.error(this.format(message, args));
  }

  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(this.format(message, args));
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }

  private format(message: string, args: unknown[]): string {
    return [redact(message), ...args.map(redactValue)].join(' ');
  }
}
