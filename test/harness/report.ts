import * as fs from 'node:fs';
import type { TestOutcome } from '../integration/index';
import { formatDuration } from './wait';

/**
 * Prints test outcomes the way mocha's spec reporter does, as they arrive, and the summary
 * with every failure's error at the end.
 */
export class SpecPrinter {
  private previousSuites: string[] = [];
  private readonly failures: TestOutcome[] = [];
  private passes = 0;
  private pending = 0;

  test(outcome: TestOutcome): void {
    const suites = outcome.titlePath.slice(0, -1);
    const title = outcome.titlePath[outcome.titlePath.length - 1];
    let common = 0;
    while (common < suites.length && suites[common] === this.previousSuites[common]) {
      common++;
    }
    for (let depth = common; depth < suites.length; depth++) {
      console.log(`${depth === 0 ? '\n' : ''}${'  '.repeat(depth + 1)}${suites[depth]}`);
    }
    this.previousSuites = suites;
    const indent = '  '.repeat(suites.length + 1);
    if (outcome.state === 'passed') {
      this.passes++;
      const slow = outcome.durationMs !== undefined && outcome.durationMs > 2000 ? ` (${formatDuration(outcome.durationMs)})` : '';
      console.log(`${indent}✔ ${title}${slow}`);
    } else if (outcome.state === 'pending') {
      this.pending++;
      console.log(`${indent}- ${title}`);
    } else {
      this.failures.push(outcome);
      console.log(`${indent}${this.failures.length}) ${title}`);
    }
  }

  /** Prints the summary; returns the counts. */
  finish(durationMs: number): TestCounts {
    console.log(`\n  ${this.passes} passing (${formatDuration(durationMs)})`);
    if (this.pending > 0) {
      console.log(`  ${this.pending} pending`);
    }
    if (this.failures.length > 0) {
      console.log(`  ${this.failures.length} failing`);
      this.failures.forEach((failure, index) => {
        console.log(`\n  ${index + 1}) ${failure.titlePath.join('\n       ')}:`);
        const stack = failure.error?.stack ?? failure.error?.message ?? '(no error)';
        const message = failure.error?.message ?? '';
        const text = stack.includes(message) ? stack : `${message}\n${stack}`;
        console.log(
          text
            .split('\n')
            .map((line) => `     ${line}`)
            .join('\n'),
        );
      });
    }
    console.log('');
    return { passed: this.passes, failed: this.failures.length, pending: this.pending };
  }
}

export interface TestCounts {
  passed: number;
  failed: number;
  pending?: number;
}

/** `npm test` sets AVALA_TEST_COUNTS_FILE; every suite runner writes its counts there. */
export function writeCounts(counts: TestCounts): void {
  const file = process.env.AVALA_TEST_COUNTS_FILE;
  if (file) {
    fs.writeFileSync(file, JSON.stringify(counts));
  }
}
