/**
 * Real-world files through the vault (vault:addDocument, vault:readDocument), made at test time with Debian's tools
 * (tests/helpers/fileCorpus.ts; docs/file-kinds.md):
 * - a PDF given alone, from several producers (libtiff's tiff2pdf, cairo, qpdf with object streams, qpdf linearised)
 *   and with an owner password only (AES-256 and RC4 128), is stored byte for byte: the paper's SHA-256 is the
 *   original file's, its page count is pdfinfo's;
 * - a PDF that needs a password to open, a damaged PDF, an owner-password PDF mixed with another file, and an
 *   unreadable image are refused with one French line naming the file, and nothing is written;
 * - a multi-page G4 TIFF, a CMYK JPEG and a HEIC photo become papers whose pages poppler counts and renders.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newTestCore, type TestCore } from '../helpers/core';
import { INKED, MARKED, corners, corpusDir, pdfPages, picture, run, save } from '../helpers/fileCorpus';

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const file = (path: string) => ({ name: path.split('/').pop()!, bytes: new Uint8Array(readFileSync(path)) });

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)).map((f) => join(name, f)) : [name])).sort();
}

describe('real-world files through the vault', () => {
  let t: TestCore;
  let personId: string;
  let dir: string;
  /** A 3-page PDF written by libtiff's tiff2pdf, and the producers' rewrites of it. */
  const pdfs: Record<string, string> = {};

  beforeAll(async () => {
    t = await newTestCore();
    personId = (await t.call('people:create', { person: { firstName: 'Awa', lastName: 'Diallo' } })).id;
    dir = corpusDir();
    const page = picture(dir, 'page.tif', 'marked', ['-type', 'TrueColor', '-depth', '8', '-compress', 'LZW']);
    run('tiffcp', [page, page, page, 'three.tif'], dir);
    run('tiff2pdf', ['-o', 'tiff2pdf.pdf', 'three.tif'], dir);
    run('pdftocairo', ['-pdf', 'tiff2pdf.pdf', 'cairo.pdf'], dir);
    run('qpdf', ['--object-streams=generate', 'tiff2pdf.pdf', 'objstm.pdf'], dir);
    run('qpdf', ['--linearize', 'tiff2pdf.pdf', 'linear.pdf'], dir);
    run('qpdf', ['--encrypt', '', 'proprietaire', '256', '--print=none', '--modify=none', '--', 'tiff2pdf.pdf', 'owner-aes256.pdf'], dir);
    run('qpdf', ['--allow-weak-crypto', '--encrypt', '', 'proprietaire', '128', '--use-aes=n', '--', 'tiff2pdf.pdf', 'owner-rc4.pdf'], dir);
    run('qpdf', ['--encrypt', 'secret', 'proprietaire', '256', '--', 'tiff2pdf.pdf', 'user-aes256.pdf'], dir);
    run('qpdf', ['--allow-weak-crypto', '--encrypt', 'secret', 'proprietaire', '40', '--', 'tiff2pdf.pdf', 'user-rc4.pdf'], dir);
    for (const name of ['tiff2pdf', 'cairo', 'objstm', 'linear', 'owner-aes256', 'owner-rc4', 'user-aes256', 'user-rc4']) pdfs[name] = join(dir, `${name}.pdf`);
  }, 120_000);

  afterAll(async () => {
    await t.cleanup();
  });

  const add = (files: Array<{ name: string; bytes: Uint8Array }>) =>
    t.call('vault:addDocument', { personId, meta: { type: 'autre' }, files });
  const readBack = async (id: string) => (await t.call('vault:readDocument', { id })).bytes;

  it.each(['tiff2pdf', 'cairo', 'objstm', 'linear', 'owner-aes256', 'owner-rc4'])('a %s PDF given alone is stored byte for byte, every page kept', async (name) => {
    const original = file(pdfs[name]!);
    const added = await add([original]);
    expect(added.sha256).toBe(sha256(original.bytes));
    expect(added.pages).toBe(pdfPages(pdfs[name]!));
    expect(added.pages).toBe(3);
    const stored = await readBack(added.id);
    expect(sha256(stored)).toBe(sha256(original.bytes));
    expect(Buffer.compare(Buffer.from(stored), Buffer.from(original.bytes))).toBe(0);
  }, 60_000);

  it('two PDFs given together are assembled into one, every page of each kept', async () => {
    const added = await add([file(pdfs['cairo']!), file(pdfs['objstm']!)]);
    const out = save(dir, 'assembled.pdf', await readBack(added.id));
    expect(added.pages).toBe(6);
    expect(pdfPages(out)).toBe(6);
    expect(corners(out, 5)).toEqual(MARKED);
  }, 60_000);

  const refusals: Array<[string, () => Array<{ name: string; bytes: Uint8Array }>, RegExp]> = [
    ['a PDF needing a password to open (AES-256)', () => [file(pdfs['user-aes256']!)], /« user-aes256\.pdf » : PDF protégé par un mot de passe d’ouverture/],
    ['a PDF needing a password to open (RC4 40)', () => [file(pdfs['user-rc4']!)], /« user-rc4\.pdf » : PDF protégé par un mot de passe d’ouverture/],
    ['an owner-password PDF mixed with another file', () => [file(pdfs['cairo']!), file(pdfs['owner-aes256']!)], /« owner-aes256\.pdf » : PDF protégé contre la modification .*ajoutez-le seul/],
    ['a truncated PDF', () => [{ name: 'coupé.pdf', bytes: readFileSync(pdfs['tiff2pdf']!).subarray(0, 900) }], /« coupé\.pdf » : fichier PDF/],
    ['a truncated TIFF', () => [{ name: 'scan.tif', bytes: readFileSync(join(dir, 'three.tif')).subarray(0, 2000) }], /« scan\.tif » : .*TIFF/],
    ['a HEIC that is only its header', () => [{ name: 'photo.heic', bytes: new Uint8Array([0, 0, 0, 24, ...Buffer.from('ftypheic'), 0, 0, 0, 0, ...Buffer.from('mif1heic')]) }], /« photo\.heic » : photo HEIC endommagée/],
  ];

  it.each(refusals)('%s is refused with one French line naming the file, nothing written', async (_, files, message) => {
    const vault = join(t.dir, 'vault');
    const before = filesUnder(vault);
    const listed = (await t.call('vault:listDocuments', { personId })).items.length;
    const error = await add(files()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'VALIDATION' });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    expect(filesUnder(vault)).toEqual(before);
    expect((await t.call('vault:listDocuments', { personId })).items).toHaveLength(listed);
  }, 60_000);

  it('a 3-page G4 TIFF, a CMYK JPEG and a HEIC photo become one paper of 5 pages, each upright and in colour', async () => {
    const bw = picture(dir, 'bw.tif', 'inked', ['-type', 'Bilevel', '-depth', '1', '-compress', 'None']);
    run('tiffcp', ['-c', 'g4', bw, bw, bw, 'fax.tif'], dir);
    const cmyk = picture(dir, 'cmyk.jpg', 'marked', ['-colorspace', 'CMYK']);
    run('heif-enc', ['-q', '90', '-o', 'photo.heic', picture(dir, 'photo.png', 'marked', ['-type', 'TrueColor'])], dir);
    const added = await add([file(join(dir, 'fax.tif')), file(cmyk), file(join(dir, 'photo.heic'))]);
    const out = save(dir, 'mixed.pdf', await readBack(added.id));
    expect(added.pages).toBe(5);
    expect(pdfPages(out)).toBe(5);
    for (const page of [1, 2, 3]) expect(corners(out, page)).toEqual(INKED);
    expect(corners(out, 4)).toEqual(MARKED);
    expect(corners(out, 5)).toEqual(MARKED);
  }, 60_000);
});
