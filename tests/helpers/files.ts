/** Scanning an association folder's files for text that must never be there in clear. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every regular file under `dir`, as paths relative to it. */
export function allFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out.map((p) => relative(dir, p)).sort();
}

/** Which of `needles` appear in which file (raw bytes, UTF-8 and UTF-16LE spellings). */
export function leaks(dir: string, needles: string[]): string[] {
  const found: string[] = [];
  for (const file of allFiles(dir)) {
    const bytes = readFileSync(join(dir, file));
    for (const n of needles) {
      for (const enc of ['utf8', 'utf16le'] as const) {
        if (bytes.includes(Buffer.from(n, enc))) found.push(`${file}: ${n} (${enc})`);
      }
    }
  }
  return found;
}

