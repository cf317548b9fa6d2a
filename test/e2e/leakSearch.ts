// Byte-wise search for secret values in everything a session left behind: raw, UTF-16, base64
// and base64url at every alignment, and long fragments (LevelDB's Snappy blocks can split a
// value, and a fragment of a key is still a leak). Files are read whole, binary or not.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Canary {
  /** What the value is, for the report ("signup key", "password"). */
  name: string;
  value: string;
}

export interface LeakHit {
  canary: string;
  /** How it was written: raw, utf16le, base64@1, fragment… */
  encoding: string;
  /** A file path, or a label such as "screen text 3". */
  where: string;
  offset: number;
}

const FRAGMENT = 16;

/** Every form of a value that would give it away, with a name for each. */
export function needles(value: string): { encoding: string; bytes: Buffer }[] {
  const raw = Buffer.from(value, 'utf8');
  const out: { encoding: string; bytes: Buffer }[] = [
    { encoding: 'raw', bytes: raw },
    { encoding: 'utf16le', bytes: Buffer.from(value, 'utf16le') },
  ];
  // base64 of the value when it starts at byte offset 0, 1 or 2 of a larger encoded blob:
  // drop the characters that depend on the neighbouring bytes.
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), raw]);
    for (const [encoding, text] of [
      ['base64', padded.toString('base64')],
      ['base64url', padded.toString('base64url')],
    ] as const) {
      const first = Math.ceil((shift * 4) / 3);
      const usable = Math.floor(((shift + raw.length) * 4) / 3);
      const core = text.slice(first, usable - 1);
      if (core.length >= FRAGMENT) {
        out.push({ encoding: `${encoding}@${shift}`, bytes: Buffer.from(core, 'latin1') });
      }
    }
  }
  for (const [label, at] of [
    ['start', 0],
    ['middle', Math.floor((value.length - FRAGMENT) / 2)],
    ['end', value.length - FRAGMENT],
  ] as const) {
    if (value.length >= FRAGMENT * 2 && at >= 0) {
      out.push({ encoding: `fragment-${label}`, bytes: Buffer.from(value.slice(at, at + FRAGMENT), 'utf8') });
    }
  }
  return out;
}

/** Every regular file under the folders (symbolic links are not followed). */
export function filesUnder(...roots: string[]): string[] {
  return roots.flatMap((root) => {
    let names: string[];
    try {
      names = fs.readdirSync(root, { recursive: true, encoding: 'utf8' });
    } catch {
      return [];
    }
    return names.map((name) => path.join(root, name)).filter((file) => fs.lstatSync(file, { throwIfNoEntry: false })?.isFile());
  });
}

/** Searches buffers (files or texts) for every needle of every canary. */
export function searchLeaks(canaries: Canary[], sources: { where: string; read(): Buffer }[]): LeakHit[] {
  const all = canaries.flatMap((canary) => needles(canary.value).map((n) => ({ canary: canary.name, ...n })));
  const hits: LeakHit[] = [];
  for (const source of sources) {
    let bytes: Buffer;
    try {
      bytes = source.read();
    } catch {
      continue; // Gone meanwhile (a lock file): nothing to find.
    }
    for (const needle of all) {
      const offset = bytes.indexOf(needle.bytes);
      if (offset >= 0) {
        hits.push({ canary: needle.canary, encoding: needle.encoding, where: source.where, offset });
      }
    }
  }
  return hits;
}

export function fileSources(files: string[]): { where: string; read(): Buffer }[] {
  return files.map((file) => ({ where: file, read: () => fs.readFileSync(file) }));
}

export function textSources(texts: { where: string; text: string }[]): { where: string; read(): Buffer }[] {
  return texts.map(({ where, text }) => ({ where, read: () => Buffer.from(text, 'utf8') }));
}
