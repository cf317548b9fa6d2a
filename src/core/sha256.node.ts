// What `./sha256` is in the Node build (esbuild.mjs maps it here): node:crypto, which the Node
// extension host already has loaded, instead of the plain-TypeScript digest the browser build
// needs. The same digests (test/unit/core/sha256.test.ts compares the two).
import { createHash, randomBytes } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function randomHex(count: number): string {
  return randomBytes(count).toString('hex');
}
