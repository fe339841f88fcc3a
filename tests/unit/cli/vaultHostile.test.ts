/**
 * `vault add` with the hostile files of the security review, through the real CLI (child process, no TTY): each is
 * refused with exactly one French line on stderr naming the file and the reason — nothing from pdf-lib before it —
 * exit code 1, nothing on stdout, and nothing written to the vault. A PDF that pdf-lib warns about but can read is
 * added with nothing on stderr.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli';
import { ok } from '../../helpers/cliAccess';
import { tempDir } from '../../helpers/core';
import { picture, run as runTool } from '../../helpers/fileCorpus';
import { pdfRepeatingNode, pdfWithInvalidObject, pngDeclaring, tiffManyHugePages } from '../../helpers/hostileFiles';

function blobs(dir: string): string[] {
  const vault = join(dir, 'vault');
  if (!existsSync(vault)) return [];
  return readdirSync(vault).flatMap((d) => (statSync(join(vault, d)).isDirectory() ? readdirSync(join(vault, d)) : []));
}

describe('vault add with hostile files (CLI)', () => {
  let root: string;
  let dir: string;
  let files: string;
  let person: string;

  beforeAll(async () => {
    root = tempDir('solidariciel-hostile-');
    dir = join(root, 'Entraide.solidariciel');
    files = join(root, 'fichiers');
    mkdirSync(files);
    writeFileSync(join(files, 'affiche.png'), pngDeclaring(30_000, 30_000));
    writeFileSync(join(files, 'arbre.pdf'), pdfRepeatingNode(10, 5, true));
    writeFileSync(join(files, 'dossier.tif'), tiffManyHugePages());
    writeFileSync(join(files, 'courrier.pdf'), pdfWithInvalidObject());
    // Decoded, not refused from its header: a TIFF whose directory is sound but whose LZW strip is garbage (libtiff
    // complains while libvips reads it), and a PDF that needs a password (pdf.js is asked).
    const tiff = readFileSync(picture(files, 'page.tif', 'marked', ['-depth', '8', '-compress', 'LZW']));
    for (let i = 16; i < tiff.length / 2; i++) tiff[i] = (i * 37) & 0xff;
    writeFileSync(join(files, 'abime.tif'), tiff);
    runTool('tiff2pdf', ['-o', 'page.pdf', 'page.tif'], files);
    runTool('qpdf', ['--encrypt', 'secret', 'proprietaire', '256', '--', 'page.pdf', 'secret.pdf'], files);
    ok(await runCli(['init', dir, '--name', 'Entraide', '--admin', 'marie', '--json']));
    person = ok<{ id: string }>(await runCli(['members', 'add', dir, '--first-name', 'Awa', '--last-name', 'Koné', '--json'])).id;
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const add = (file: string) => runCli(['vault', 'add', dir, '--member', person, '--type', 'autre', join(files, file)]);

  it.each([
    ['affiche.png', /^« affiche\.png » : image trop grande \(30000 × 30000 pixels, 900 Mpx\)/],
    ['arbre.pdf', /^« arbre\.pdf » : fichier PDF invalide : son arborescence de pages répète une même page ou un même nœud\.$/],
    ['dossier.tif', /^« dossier\.tif » : trop de pages \(plus de 500\)/],
    ['abime.tif', /^« abime\.tif » : (image|fichier) TIFF .*endommag/],
    ['secret.pdf', /^« secret\.pdf » : PDF protégé par un mot de passe d’ouverture/],
  ])('%s: exit 1, one French line naming the file, nothing in the vault', async (file, message) => {
    const run = await add(file);
    expect({ code: run.code, stdout: run.stdout }).toEqual({ code: 1, stdout: '' });
    expect(run.stderr.endsWith('\n')).toBe(true);
    const lines = run.stderr.slice(0, -1).split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(blobs(dir)).toEqual([]);
  }, 60_000);

  it('a PDF with one damaged object that pdf-lib reads anyway is added, and nothing of pdf-lib’s reaches stderr', async () => {
    const run = await add('courrier.pdf');
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/\(1 page\(s\), SHA-256 [0-9a-f]{64}\)\n$/);
    expect(blobs(dir)).toHaveLength(1);
  }, 60_000);
});
