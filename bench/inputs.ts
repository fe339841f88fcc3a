/**
 * Inputs of the benchmark besides the people themselves (generate.ts): the search queries a desk would type and a
 * scan-like 20 MB PDF for the vault figure.
 */
import { PDFDocument } from 'pdf-lib';
import { PNG } from 'pngjs';
import { asciiLocal, FIRST_NAMES, LAST_NAMES, rng, type GeneratedPerson } from './generate';
// ───────────────────────────── search queries ─────────────────────────────

/** ≥ 200 queries a desk would type, deterministic: prefixes, fragments (with and without accents), e-mail parts, phones, member numbers, misses. */
export function searchQueries(people: readonly GeneratedPerson[]): { kind: string; query: string }[] {
  const r = rng(7);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;
  const person = () => pick(people);
  const frag = (s: string, min: number, max: number) => {
    const len = Math.min(s.length, min + Math.floor(r() * (max - min + 1)));
    const start = Math.floor(r() * Math.max(1, s.length - len + 1));
    return s.slice(start, start + len);
  };
  const q: { kind: string; query: string }[] = [];
  for (let i = 0; i < 40; i++) q.push({ kind: 'prefix2', query: pick([...LAST_NAMES, ...FIRST_NAMES]).slice(0, 2).toLowerCase() });
  for (let i = 0; i < 30; i++) q.push({ kind: 'fragment-accent', query: frag(pick(LAST_NAMES.filter((n) => /[^\x00-\x7f]/.test(n))), 3, 6) });
  for (let i = 0; i < 30; i++) q.push({ kind: 'fragment-plain', query: asciiLocal(frag(pick([...LAST_NAMES, ...FIRST_NAMES]), 3, 6)) || 'mar' });
  for (let i = 0; i < 20; i++) {
    const p = person();
    q.push({ kind: 'first+last', query: `${p.firstName.slice(0, 3 + Math.floor(r() * 3))} ${p.lastName.slice(0, 4)}`.toLowerCase() });
  }
  for (let i = 0; i < 30; i++) {
    const withMail = people.filter((p) => p.email)[Math.floor(r() * people.length * 0.8)] ?? people[0];
    const mail = withMail?.email ?? 'marie.martin1@gmail.com';
    q.push({ kind: 'email', query: i % 3 === 0 ? mail.split('@')[1] ?? mail : i % 3 === 1 ? mail.split('@')[0] ?? mail : mail });
  }
  for (let i = 0; i < 30; i++) {
    const p = people.filter((x) => x.phone)[Math.floor(r() * people.length * 0.8)] ?? people[0];
    const digits = (p?.phone ?? '0612345678').replace(/\D/g, '').replace(/^33/, '0');
    q.push({ kind: 'phone', query: i % 2 === 0 ? digits.slice(0, 6 + Math.floor(r() * 5)).replace(/(\d\d)(?=\d)/g, '$1 ') : digits.slice(2, 8) });
  }
  for (let i = 0; i < 30; i++) {
    const p = person();
    q.push({ kind: 'member-number', query: i % 2 === 0 ? p.memberNumber : p.memberNumber.slice(4) });
  }
  // Birth dates as typed at a desk (09/12/1944, 9/12/1944, 1944-12-09, a year), and names with one typo (a letter
  // missing, doubled, wrong, or two swapped).
  const born = people.filter((p) => p.birthDate !== '');
  for (let i = 0; i < 20; i++) {
    const [d, m, y] = (born[Math.floor(r() * born.length)]?.birthDate ?? '09/12/1944').split('/') as [string, string, string];
    q.push({ kind: 'birth-date', query: [`${d}/${m}/${y}`, `${Number(d)}/${m}/${y}`, `${y}-${m}-${d}`, y][i % 4]! });
  }
  for (let i = 0; i < 20; i++) {
    const name = asciiLocal(pick(LAST_NAMES)).toLowerCase().replace(/[^a-z]/g, '') || 'diallo';
    const at = 1 + Math.floor(r() * Math.max(1, name.length - 2));
    const typo = [name.slice(0, at) + name.slice(at + 1), name.slice(0, at) + name[at] + name.slice(at), name.slice(0, at) + 'x' + name.slice(at + 1), name.slice(0, at) + (name[at + 1] ?? '') + name[at] + name.slice(at + 2)][i % 4]!;
    q.push({ kind: 'typo', query: typo });
  }
  for (let i = 0; i < 30; i++) q.push({ kind: 'no-hit', query: pick(['zzqx', 'xyzw', 'wqk', 'kkkj', 'qwerty', 'jjzz', 'Ørjan', 'zyx@', 'vwvw', 'qqq']) + (i % 3 ? '' : String(i)) });
  return q;
}

// ───────────────────────────── vault document ─────────────────────────────

/**
 * A ≈ 20 MB PDF assembled with pdf-lib from scan-like page images (photographic noise does not compress, like a
 * real colour scan), so the vault cannot shrink it: what it encrypts is ≈ the bytes a desk would add.
 */
export async function scanPdf(targetBytes: number): Promise<Uint8Array> {
  const r = rng(42);
  const doc = await PDFDocument.create();
  const pageBytes = 2_500_000;
  const width = 1240;
  const height = Math.ceil(pageBytes / 3 / width);
  while (true) {
    const png = new PNG({ width, height, colorType: 2 });
    for (let i = 0; i < png.data.length; i += 4) {
      const paper = 200 + Math.floor(r() * 56);
      png.data[i] = paper;
      png.data[i + 1] = paper - Math.floor(r() * 20);
      png.data[i + 2] = paper - Math.floor(r() * 40);
      png.data[i + 3] = 255;
    }
    const image = await doc.embedPng(PNG.sync.write(png, { colorType: 2, deflateLevel: 1 }));
    const page = doc.addPage([595.28, 841.89]);
    page.drawImage(image, { x: 18, y: 18, width: 559, height: 805 });
    const bytes = await doc.save({ useObjectStreams: true });
    if (bytes.byteLength >= targetBytes) return bytes;
  }
}

