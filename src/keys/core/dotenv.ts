import { ENV } from '../../core/environment';

export interface DotenvHit {
  /** 0-based line number. */
  line: number;
  value: string;
}

/** Finds `AVALA_API_KEY=…` (optionally `export`ed, quoted) in a .env-style text. */
export function findKeyAssignments(text: string, name: string = ENV.apiKey): DotenvHit[] {
  const hits: DotenvHit[] = [];
  const lines = text.split(/\r?\n/);
  const pattern = new RegExp(`^\\s*(?:export\\s+)?${name}\\s*=\\s*(.*)$`);
  for (let i = 0; i < lines.length && i < 10_000; i++) {
    const match = pattern.exec(lines[i]);
    if (!match) {
      continue;
    }
    let value = match[1].trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.lastIndexOf(quote) > 0) {
      value = value.slice(1, value.lastIndexOf(quote));
    } else {
      value = value.replace(/\s+#.*$/, '').trim();
    }
    if (value !== '' && !value.startsWith('$')) {
      hits.push({ line: i, value });
    }
  }
  return hits;
}
