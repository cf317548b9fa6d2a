// A mocha reporter for `npm test`: prints like `spec` and writes pass/fail counts to the file
// named by AVALA_TEST_COUNTS_FILE, so the final "N passed, N failed" line adds up exactly.
// Use: mocha --reporter out/test/harness/countReporter.js
import Mocha from 'mocha';
import { writeCounts } from './report';

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let pending = 0;
    // Written after every test, so a run stopped at its time limit still reports what passed.
    const write = (): void => writeCounts({ passed, failed, pending });
    runner.on('pass', () => {
      passed++;
      write();
    });
    runner.on('fail', () => {
      failed++;
      write();
    });
    runner.on('pending', () => {
      pending++;
      write();
    });
    runner.once('end', write);
  }
}

export = CountReporter;
