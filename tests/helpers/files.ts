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

/**
 * Shortest needle, in UTF-8 bytes, that `leaks` accepts. Ciphertext is random: a 3-byte needle turns up by chance
 * about once in 16 MiB of it (a hub's write-ahead log reaches that), a 5-byte one once in a tebibyte.
 */
export const MIN_NEEDLE_BYTES = 5;

/**
 * Which of `needles` appear in which file (raw bytes, UTF-8 and UTF-16LE spellings).
 * @throws Error when a needle is shorter than {@link MIN_NEEDLE_BYTES}: it could match random ciphertext by chance.
 */
export function leaks(dir: string, needles: string[]): string[] {
  const short = needles.filter((n) => Buffer.byteLength(n, 'utf8') < MIN_NEEDLE_BYTES);
  if (short.length > 0) throw new Error(`needles too short to tell a leak from chance: ${short.join(', ')}`);
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

