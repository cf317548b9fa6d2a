// Measures the hard-coded key scanner on 5 MB documents: ordinary source with a few keys and
// many git SHAs, one minified line, and the worst case for the hex pattern (5 MB of hex).
//
//   npx tsc -p . && node out/scripts/bench-scan.js
//
// `npm run bench` (scripts/bench.ts) scans the same documents for its secret-scan row.
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { scanForKeys } from '../src/security/core/secretScan';

const SIZE = 5 * 1024 * 1024;
const RUNS = 20;

function fill(make: (i: number) => string): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < SIZE; i++) {
    const part = make(i);
    parts.push(part);
    length += part.length;
  }
  return parts.join('').slice(0, SIZE);
}

const hex = () => randomBytes(20).toString('hex');

/** Name and text of each 5 MB document; the first is ordinary source. */
export const documents: [string, string][] = [
  [
    'source with keys and SHAs',
    fill((i) =>
      i % 500 === 0
        ? `const AVALA_API_KEY = "avk_${hex()}";\n`
        : i % 50 === 0
          ? `  "resolved": "git+ssh://git@github.com/acme/lib.git#${hex()}",\n`
          : `    const value${i} = compute(input, { retries: ${i % 7}, label: "row ${i}" }); // ordinary code\n`,
    ),
  ],
  [
    'one minified line',
    fill((i) => `function f${i}(a,b){return a.map(x=>x*b).filter(Boolean)}var k${i}="${i % 1000 === 0 ? hex() : 'abc'}";`),
  ],
  ['5 MB of hex, no line breaks', fill(() => randomBytes(4096).toString('hex'))],
  ['5 MB of 39-hex runs', fill(() => `${'a'.repeat(39)}=`)],
];

// On a shared machine the wall time includes waiting for a core; CPU time is the scanner's own.
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

if (require.main === module) {
  console.log(`Scanning 5 MB documents, ${RUNS} runs each (load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
  for (const [name, text] of documents) {
    scanForKeys(text); // warm up the regular expression
    const wall: number[] = [];
    const cpu: number[] = [];
    let findings = 0;
    for (let run = 0; run < RUNS; run++) {
      const cpuStarted = process.cpuUsage();
      const started = process.hrtime.bigint();
      findings = scanForKeys(text).findings.length;
      wall.push(Number(process.hrtime.bigint() - started) / 1e6);
      const used = process.cpuUsage(cpuStarted);
      cpu.push((used.user + used.system) / 1000);
    }
    console.log(
      `${name.padEnd(28)} ${(text.length / 1024 / 1024).toFixed(1)} MB  wall median ${median(wall).toFixed(1)} ms (min ${Math.min(...wall).toFixed(1)})  ` +
        `CPU median ${median(cpu).toFixed(1)} ms  ${findings} findings`,
    );
  }
}
